// Request plumbing: request IDs, per-request EntityManager, access logs and body size limits.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../domain/errors';
import type { AppDeps, AppEnv } from '../context';

export const MiB = 1024 * 1024;

/** Paths allowed a larger body, and their limit. */
const LARGE_BODY_PATHS: [prefix: string, limit: number][] = [['/v1/tenant/onboarding-batches', 16 * MiB]];

export function provideDeps(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('deps', deps);
    c.set('em', deps.orm.em.fork());
    await next();
  };
}

export function accessLog(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const deps = c.get('deps');
    deps.logger.info(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
        userId: c.get('auth')?.user.id,
      },
      'request',
    );
  };
}

const tooLarge = () => {
  throw new AppError('PAYLOAD_TOO_LARGE', 'the request body is too large');
};

export function bodyLimits(): MiddlewareHandler<AppEnv> {
  const normal = bodyLimit({ maxSize: MiB, onError: tooLarge });
  const large = LARGE_BODY_PATHS.map(
    ([prefix, maxSize]) => [prefix, bodyLimit({ maxSize, onError: tooLarge })] as const,
  );
  return async (c, next) => {
    const match = large.find(([prefix]) => c.req.path.startsWith(prefix));
    return (match ? match[1] : normal)(c, next);
  };
}
