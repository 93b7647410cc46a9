// Request plumbing: request IDs, per-request EntityManager, access logs and body size limits.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { AppError } from '../../domain/errors';
import type { AppDeps, AppEnv } from '../context';

export const MiB = 1024 * 1024;
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Paths allowed a larger body, and their limit. */
const LARGE_BODY_PATHS: [prefix: string, limit: number][] = [['/v1/tenant/onboarding-batches', 16 * MiB]];

/**
 * Gives every answer its request ID (the caller's own when it sent a valid one): hono's requestId sets the
 * header on the context, which answers built by the error mapper and raw Responses do not carry.
 */
export function requestIds(): MiddlewareHandler<AppEnv> {
  const assign = requestId({ headerName: REQUEST_ID_HEADER });
  return async (c, next) => {
    await assign(c, next);
    if (c.res.headers.get(REQUEST_ID_HEADER)) return;
    try {
      c.res.headers.set(REQUEST_ID_HEADER, c.get('requestId'));
    } catch {
      c.res = new Response(c.res.body, c.res);
      c.res.headers.set(REQUEST_ID_HEADER, c.get('requestId'));
    }
  };
}

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

/**
 * Refuses an oversize body before reading the rest of it, so the connection cannot be reused: the answer says
 * `Connection: close` instead of promising keep-alive and then dropping the socket under the client.
 */
const tooLarge = () => {
  throw new AppError('PAYLOAD_TOO_LARGE', 'the request body is too large', {
    headers: { Connection: 'close' },
  });
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
