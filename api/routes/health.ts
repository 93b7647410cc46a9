// Liveness and readiness probes.
import { createRouter, defineRoute, jsonContent, z } from '../openapi';

const Ready = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.object({ postgres: z.enum(['ok', 'down']), temporal: z.enum(['ok', 'down']) }),
});

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const healthRouter = createRouter()
  .openapi(
    defineRoute({
      method: 'get',
      path: '/health',
      tags: ['Operations'],
      summary: 'Liveness: 200 while the process runs',
      access: 'public',
      responses: { 200: jsonContent(z.object({ status: z.literal('ok') }), 'The process is running') },
    }),
    (c) => c.json({ status: 'ok' as const }, 200),
  )
  .openapi(
    defineRoute({
      method: 'get',
      path: '/ready',
      tags: ['Operations'],
      summary: 'Readiness: PostgreSQL and Temporal answer',
      access: 'public',
      responses: {
        200: jsonContent(Ready, 'Both dependencies answer'),
        503: jsonContent(Ready, 'A dependency is down; `checks` names it'),
      },
    }),
    async (c) => {
      const deps = c.get('deps');
      const [postgres, temporal] = await Promise.all([
        withTimeout(c.get('em').execute('select 1'), 2000).then(
          () => 'ok' as const,
          () => 'down' as const,
        ),
        withTimeout(deps.temporal.workflowService.getSystemInfo({}), 2000).then(
          () => 'ok' as const,
          () => 'down' as const,
        ),
      ]);
      const ok = postgres === 'ok' && temporal === 'ok';
      const body = {
        status: ok ? ('ok' as const) : ('unavailable' as const),
        checks: { postgres, temporal },
      };
      return ok ? c.json(body, 200) : c.json(body, 503);
    },
  );
