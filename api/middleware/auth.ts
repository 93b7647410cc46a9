// Authentication and authorisation of every route, from the session's current membership (never cached).
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { createHash, timingSafeEqual } from 'node:crypto';
import { PLATFORM_ADMIN_TOKEN_PATTERN } from '../../domain/config';
import { AppError } from '../../domain/errors';
import { isPermissionKey, type PermissionKey, type WorkspaceKind } from '../../domain/permissions';
import type { AuthContext, AppEnv } from '../context';
import type { Access } from '../openapi';
import { SessionManager } from '../auth/sessions';

export const SESSION_COOKIE = 'session';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const managers = new WeakMap<object, SessionManager>();

/** One session manager per ORM instance (the API may host several in tests). */
export function sessionManager(deps: AppEnv['Variables']['deps']): SessionManager {
  let manager = managers.get(deps.orm);
  if (!manager) {
    manager = new SessionManager(deps.orm, {
      idleTimeoutMs: deps.config.SESSION_IDLE_TIMEOUT_MS,
      absoluteTimeoutMs: deps.config.SESSION_ABSOLUTE_TIMEOUT_MS,
    });
    managers.set(deps.orm, manager);
  }
  return manager;
}

function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(header.trim());
  return match ? match[1]! : null;
}

/** Constant-time comparison of digests, so neither the length nor a prefix of the token leaks. */
function safeEqual(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** Cookie-authenticated unsafe requests must come from the portal's own origin. */
function assertSameOrigin(
  origin: string | undefined,
  fetchSite: string | undefined,
  allowed: string[],
): void {
  if (origin) {
    if (!allowed.includes(origin)) throw new AppError('FORBIDDEN', 'cross-site request refused (CSRF check)');
    return;
  }
  if (fetchSite && fetchSite !== 'same-origin') {
    throw new AppError('FORBIDDEN', 'cross-site request refused (CSRF check)');
  }
  if (!fetchSite)
    throw new AppError('FORBIDDEN', 'cookie-authenticated requests need an Origin header (CSRF check)');
}

async function resolveAuth(c: Parameters<MiddlewareHandler<AppEnv>>[0]): Promise<AuthContext> {
  const deps = c.get('deps');
  const header = c.req.header('authorization');
  const fromHeader = bearerToken(header);
  const fromCookie = fromHeader ? null : (getCookie(c, SESSION_COOKIE) ?? null);
  const token = fromHeader ?? fromCookie;
  if (!token)
    throw new AppError('UNAUTHENTICATED', 'sign in first: send a Bearer token or the session cookie');
  if (fromCookie && UNSAFE_METHODS.has(c.req.method)) {
    const allowed = [new URL(deps.config.PORTAL_URL).origin, new URL(c.req.url).origin];
    assertSameOrigin(c.req.header('origin'), c.req.header('sec-fetch-site'), allowed);
  }
  const session = await sessionManager(deps).validate(token);
  if (!session) throw new AppError('UNAUTHENTICATED', 'the session has expired or was revoked');
  const p = session.principal;
  if (!p.membership_id || p.membership_status !== 'ACTIVE' || p.workspace_status !== 'ACTIVE') {
    await sessionManager(deps).revoke(session.id);
    throw new AppError('UNAUTHENTICATED', 'the session has ended: access to this workspace was withdrawn');
  }
  return {
    sessionId: session.id,
    viaCookie: Boolean(fromCookie),
    user: {
      id: session.userId,
      loginEmail: p.login_email,
      name: p.name,
      contactEmail: p.contact_email,
      mustChangePassword: p.must_change_password,
    },
    workspace: {
      id: session.workspaceId,
      kind: p.kind as WorkspaceKind,
      name: p.workspace_name,
      tenantId: p.tenant_id,
    },
    membershipId: p.membership_id,
    role: { id: p.role_id!, name: p.role_name! },
    permissions: new Set((p.permissions ?? []).filter(isPermissionKey)),
  };
}

/** The platform token from `Authorization: Bearer`, when it has the configured token's form. */
function platformBearerToken(header: string | undefined): string | null {
  const token = /^Bearer\s+(\S+)$/.exec(header?.trim() ?? '')?.[1];
  return token && PLATFORM_ADMIN_TOKEN_PATTERN.test(token) ? token : null;
}

function authorizePlatform(c: Parameters<MiddlewareHandler<AppEnv>>[0]): void {
  const expected = c.get('deps').config.PLATFORM_ADMIN_TOKEN;
  const token = platformBearerToken(c.req.header('authorization'));
  if (!expected || !token || !safeEqual(token, expected)) {
    throw new AppError('UNAUTHENTICATED', 'the platform admin token is missing or wrong');
  }
}

export function authorize(
  access: Access,
  options: { allowPendingPasswordChange: boolean },
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (access === 'public') return next();
    if (access === 'platform') {
      authorizePlatform(c);
      return next();
    }
    const auth = await resolveAuth(c);
    c.set('auth', auth);
    if (auth.user.mustChangePassword && !options.allowPendingPasswordChange) {
      throw new AppError('PASSWORD_CHANGE_REQUIRED', 'set a new password first (PUT /v1/me/password)');
    }
    if (access !== 'member' && !auth.permissions.has(access as PermissionKey)) {
      throw new AppError('FORBIDDEN', `your role does not include the permission ${access}`);
    }
    return next();
  };
}
