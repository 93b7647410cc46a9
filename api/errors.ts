// The single error mapper: AppError codes, HTTP-layer refusals, database and workflow failures become
// problem+json, every one with the request's X-Request-Id.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, type ErrorCode, type FieldProblem } from '../domain/errors';
import { appErrorFromDatabase } from '../db/errors';
import { workflowFailure } from '../domain/workflow-start';
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

/** HTTP-layer refusals (Hono, the OpenAPI validator, body limits) by status. */
function fromHttpException(err: HTTPException): AppError | null {
  switch (err.status) {
    case 400:
      return new AppError('VALIDATION_FAILED', err.message || 'malformed request');
    case 401:
      return new AppError('UNAUTHENTICATED', err.message || 'authentication required');
    case 413:
      return new AppError('PAYLOAD_TOO_LARGE', 'the request body is too large');
    case 415:
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
    default:
      return null;
  }
}

/** Every error the API can meet, as the AppError it stands for; null means a bug (answered 500). */
export function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (err instanceof HTTPException) return fromHttpException(err);
  return appErrorFromDatabase(err) ?? workflowFailure(err);
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
  const requestId = c.get('requestId');
  if (requestId) headers['X-Request-Id'] = requestId;
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
