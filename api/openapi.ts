// Route definition: every route declares its access level here, and its zod schemas feed the OpenAPI document.
import { OpenAPIHono, createRoute, z, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../domain/errors';
import { isKnownCurrency } from '../domain/money';
import type { PermissionKey } from '../domain/permissions';
import type { AppEnv } from './context';
import { fieldProblems } from './errors';
import { authorize } from './middleware/auth';
import { guardInput } from './middleware/input-guard';

/**
 * public: anyone; platform: the installation operator's token; member: any signed-in member;
 * a permission key: a member whose current role holds it.
 */
export type Access = 'public' | 'platform' | 'member' | PermissionKey;

export interface RouteAccess {
  method: string;
  path: string;
  access: Access;
}

/** Every route's declared access, for the permission-table tests and the docs. */
export const ROUTE_ACCESS: RouteAccess[] = [];

export interface DefineRouteOptions {
  access: Access;
  /** Reachable while the user still has to replace an admin-set password. */
  allowPendingPasswordChange?: boolean;
}

export function defineRoute<R extends Omit<RouteConfig, 'middleware'>>(
  route: R & DefineRouteOptions,
): R & { middleware: MiddlewareHandler<AppEnv>[] } {
  const { access, allowPendingPasswordChange, ...config } = route;
  ROUTE_ACCESS.push({ method: config.method.toUpperCase(), path: config.path, access });
  const security = access === 'public' ? [] : [{ bearerAuth: [] }, { sessionCookie: [] }];
  const description = [config.description, access.includes('.') ? `Permission: \`${access}\`.` : '']
    .filter(Boolean)
    .join('\n\n');
  return createRoute({
    ...config,
    description,
    security,
    middleware: [
      authorize(access, { allowPendingPasswordChange: allowPendingPasswordChange ?? false }),
      guardInput(),
    ],
  }) as unknown as R & { middleware: MiddlewareHandler<AppEnv>[] };
}

const TARGET_PREFIX: Record<string, string> = {
  json: 'body',
  query: 'query',
  param: 'path',
  header: 'header',
};

/** A router for one resource; validation failures become 400 VALIDATION_FAILED with field problems. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const prefix = TARGET_PREFIX[result.target] ?? result.target;
        throw new AppError('VALIDATION_FAILED', 'the request is not valid', {
          errors: fieldProblems(result.error.issues, prefix),
        });
      }
    },
  });
}

/** A required JSON request body (a missing or non-JSON body is a validation failure, not silently empty). */
export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return {
    required: true,
    description,
    content: { 'application/json': { schema } },
  } as const;
}

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } } as const;
}

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

export function problemResponse(description: string) {
  return { description, content: { 'application/problem+json': { schema: ProblemSchema } } } as const;
}

/** Problem responses every authenticated route can produce. */
export const COMMON_ERRORS = {
  400: problemResponse('VALIDATION_FAILED'),
  401: problemResponse('UNAUTHENTICATED'),
  403: problemResponse('FORBIDDEN or PASSWORD_CHANGE_REQUIRED'),
  404: problemResponse('NOT_FOUND'),
} as const;

export const IdParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

/** `?limit=&cursor=` of every list (default 50, max 200). */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

/** Years PostgreSQL and JavaScript both represent, written with four digits (no year 0000, no expanded years). */
const STORABLE_YEARS = { min: 1, max: 9999 };

/** An ISO 8601 date-time with offset (a filter such as `from`/`to`), refused unless PostgreSQL can store it. */
export const DateTimeSchema = z.iso
  .datetime({ offset: true })
  .refine(
    (value) => {
      const year = Number(value.slice(0, 4));
      return year >= STORABLE_YEARS.min && year <= STORABLE_YEARS.max && !Number.isNaN(Date.parse(value));
    },
    { message: `a date-time between the years ${STORABLE_YEARS.min} and ${STORABLE_YEARS.max}` },
  )
  .openapi({ format: 'date-time', example: '2026-11-21T00:00:00Z' });

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() });
}

/** An integer amount in minor units: > 0 and <= 2^53-1, never a float or a string. */
export const AmountSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER).openapi({
  description: 'Integer amount in the currency minor units (USD 12.34 -> 1234).',
  example: 1234,
});

export const CurrencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as USD')
  .openapi({ example: 'USD' });

export const KnownCurrencySchema = CurrencySchema.refine(isKnownCurrency, 'unknown ISO 4217 currency');

export const EmailSchema = z
  .email()
  .max(320)
  .transform((e) => e.toLowerCase());

export { z };
