// POST /v1/auth/login with the production argon2id parameters: logins per second, and per core of the API
// process (its CPU seconds over the run). Each client has its own source address (127.0.0.x), as distinct users.
import { closedLoop } from '../lib/load';
import { observe, type BenchContext } from '../lib/context';
import { httpClient } from '../lib/http';
import { PASSWORD } from '../lib/setup';

const CLIENTS = 8;

export async function loginRate(ctx: BenchContext) {
  const clients = Array.from({ length: CLIENTS }, (_, i) =>
    httpClient(ctx.stack.apiUrl, { sockets: 1, localAddress: `127.0.0.${20 + i}` }),
  );
  try {
    const { result, observed } = await observe(
      ctx,
      'login',
      () =>
        closedLoop({
          clients: CLIENTS,
          durationMs: ctx.sizes.loginMs,
          warmupMs: ctx.sizes.warmupMs,
          op: async (c) => {
            const res = await clients[c]!.call('POST', '/v1/auth/login', {
              body: { email: ctx.tenant.adminEmail, password: PASSWORD },
            });
            if (res.status !== 200) throw new Error(`login answered ${res.status}`);
          },
        }),
      (r) => r.ops,
    );
    const apiCores = observed.cores.api;
    return {
      ...result,
      apiCores,
      perCore: apiCores > 0 ? Math.round((result.perSecond / apiCores) * 10) / 10 : null,
      observed,
    };
  } finally {
    for (const c of clients) c.close();
  }
}
