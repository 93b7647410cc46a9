// The single error mapper: AppError codes, validation, body limits and Postgres errors become problem+json.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, type ErrorCode, type FieldProblem } from '../domain/errors';
import type { AppEnv } from './context';

const TITLES: Partial<Record<ErrorCode, string>> = {
  VALIDATION_FAILED: 'Your request is not valid',
  NOT_FOUND: 'Not found',
  UNAUTHENTICATED: 'Authentication required',
  FORBIDDEN: 'Forbidden',
  INTERNAL: 'Internal server error',
};

function title(code: ErrorCode): string {
  return (
    TITLES[code] ??
    code
      .toLowerCase()
      .replace(/_/g, ' ')
      .replace(/^./, (c) => c.toUpperCase())
  );
}

/** Postgres SQLSTATEs mapped once for the whole API. */
function fromPostgres(err: unknown): AppError | null {
  const code = (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code;
  switch (code) {
    case '23505':
      return new AppError('CONFLICT', 'a resource with the same unique value already exists');
    case '23503':
      return new AppError(
        'CONFLICT',
        'the change refers to a resource that does not exist or is still in use',
      );
    case '40001':
    case '40P01':
      return new AppError('SERVICE_UNAVAILABLE', 'concurrent update, please retry', {
        headers: { 'Retry-After': '1' },
      });
    case '22P02':
    case '22003':
      return new AppError('VALIDATION_FAILED', 'a value is out of range or malformed');
    default:
      return null;
  }
}

export function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (err instanceof HTTPException) {
    if (err.status === 413) return new AppError('PAYLOAD_TOO_LARGE', 'the request body is too large');
    if (err.status === 400) return new AppError('VALIDATION_FAILED', err.message || 'malformed request');
    if (err.status === 401) return new AppError('UNAUTHENTICATED', err.message || 'authentication required');
    return null;
  }
  return fromPostgres(err);
}

export function problem(c: Context<AppEnv>, err: AppError): Response {
  const body: Record<string, unknown> = {
    type: `https://docs.payments-portal.dev/errors/${err.code.toLowerCase().replace(/_/g, '-')}`,
    title: title(err.code),
    status: err.status,
    detail: err.message,
    code: err.code,
    instance: c.req.path,
    requestId: c.get('requestId'),
  };
  if (err.options.errors?.length) body.errors = err.options.errors;
  const headers: Record<string, string> = {
    'content-type': 'application/problem+json',
    ...err.options.headers,
  };
  return new Response(JSON.stringify(body), { status: err.status, headers });
}

export function onError(err: Error, c: Context<AppEnv>): Response {
  const mapped = toAppError(err);
  if (mapped) return problem(c, mapped);
  c.get('deps')?.logger.error({ err, requestId: c.get('requestId'), path: c.req.path }, 'unhandled error');
  return problem(
    c,
    new AppError('INTERNAL', 'an unexpected error occurred; quote the request ID to support'),
  );
}

/** zod issues -> `errors: [{ path, message }]`. */
export function fieldProblems(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  prefix: string,
): FieldProblem[] {
  return issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'),
    message: i.message,
  }));
}
