// Sign-in (password, then TOTP or a recovery code when MFA is on) and sign-out.
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../domain/errors';
import { burnPasswordCheck, PASSWORD_MAX, verifyPassword } from '../../domain/passwords';
import { acceptSecondFactor, lockUserForMfa } from '../../db/store/mfa';
import { recordAudit } from '../../db/store/audit';
import { digest, newToken } from '../../domain/tokens';
import type { AppEnv } from '../context';
import { sessionManager, SESSION_COOKIE } from '../middleware/auth';
import { createRouter, defineRoute, jsonBody, jsonContent, problemResponse, z } from '../openapi';
import { CodeSchema, SessionUser, SessionWorkspace } from '../render/session';
import { assertNotThrottled, clearAccountFailures, clientIp, recordFailure } from '../throttle';

const MFA_CHALLENGE_TTL_MS = 5 * 60_000;
const MFA_MAX_ATTEMPTS = 5;

const LoginBody = z
  .strictObject({
    email: z
      .email()
      .max(320)
      .transform((e) => e.toLowerCase()),
    password: z.string().min(1).max(PASSWORD_MAX),
    workspaceId: z.uuid().optional().openapi({
      description: 'The workspace to sign in to; default: the oldest active membership',
    }),
  })
  .openapi('Login');

const MfaBody = z
  .strictObject({ mfaToken: z.string().min(20).max(200), code: CodeSchema })
  .openapi('MfaLogin');

const SignedIn = z
  .object({ token: z.string(), expiresAt: z.string(), user: SessionUser, workspace: SessionWorkspace })
  .openapi('SignedIn');

const MfaRequired = z.object({ mfaRequired: z.literal(true), mfaToken: z.string() }).openapi('MfaRequired');

interface UserRow {
  id: string;
  login_email: string;
  name: string;
  contact_email: string | null;
  password_hash: string | null;
  activated: boolean;
  must_change_password: boolean;
  mfa_enabled: boolean;
}

interface MembershipRow {
  workspace_id: string;
  kind: 'TENANT' | 'PARTNER' | 'MERCHANT';
  name: string;
  tenant_id: string;
  usable: boolean;
}

function requestMeta(c: Context<AppEnv>) {
  return { ip: clientIp(c), requestId: c.get('requestId') };
}

/** The membership to sign in to: the one asked for, else the oldest usable one (ACTIVE member, ACTIVE workspace). */
async function pickMembership(
  em: EntityManager,
  userId: string,
  workspaceId: string | undefined,
): Promise<MembershipRow | null> {
  const [row] = await em.execute<MembershipRow[]>(
    `select w.id as workspace_id, w.kind, w.name, w.tenant_id,
            (m.status = 'ACTIVE' and w.status = 'ACTIVE') as usable
       from membership m join workspace w on w.id = m.workspace_id
      where m.user_id = ? ${workspaceId ? 'and m.workspace_id = ?' : ''}
      order by (m.status = 'ACTIVE' and w.status = 'ACTIVE') desc, m.created_at, m.id
      limit 1`,
    workspaceId ? [userId, workspaceId] : [userId],
  );
  return row ?? null;
}

function sessionUser(u: UserRow) {
  return {
    id: u.id,
    loginEmail: u.login_email,
    name: u.name,
    contactEmail: u.contact_email,
    mustChangePassword: u.must_change_password,
  };
}

function sessionWorkspace(m: MembershipRow) {
  return { id: m.workspace_id, kind: m.kind, name: m.name, tenantId: m.tenant_id };
}

/** Creates the session, sets the cookie and builds the sign-in answer. */
async function startSession(c: Context<AppEnv>, user: UserRow, membership: MembershipRow) {
  const deps = c.get('deps');
  const session = await sessionManager(deps).create(user.id, membership.workspace_id, {
    ip: clientIp(c),
    userAgent: c.req.header('user-agent') ?? null,
  });
  setCookie(c, SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: deps.config.NODE_ENV === 'production',
    path: '/',
    maxAge: Math.floor(deps.config.SESSION_ABSOLUTE_TIMEOUT_MS / 1000),
  });
  return {
    token: session.token,
    expiresAt: session.expiresAt.toISOString(),
    user: sessionUser(user),
    workspace: sessionWorkspace(membership),
  };
}

type LoginOutcome =
  | { kind: 'invalid' }
  | { kind: 'disabled' }
  | { kind: 'mfa'; mfaToken: string }
  | { kind: 'ok'; user: UserRow; membership: MembershipRow };

async function checkPassword(user: UserRow | undefined, password: string): Promise<boolean> {
  if (!user || !user.activated || !user.password_hash) return burnPasswordCheck(password);
  return verifyPassword(user.password_hash, password);
}

async function login(c: Context<AppEnv>, body: z.infer<typeof LoginBody>): Promise<LoginOutcome> {
  const em = c.get('em');
  const meta = requestMeta(c);
  const throttle = { action: 'login', ip: meta.ip, account: body.email };
  await assertNotThrottled(em, throttle);
  const [user] = await em.execute<UserRow[]>(
    `select id, login_email, name, contact_email, password_hash, activated, must_change_password, mfa_enabled
       from app_user where login_email = ?`,
    [body.email],
  );
  const passwordOk = await checkPassword(user, body.password);
  const membership = user && passwordOk ? await pickMembership(em, user.id, body.workspaceId) : null;
  const audit = {
    tenantId: membership?.tenant_id ?? null,
    workspaceId: membership?.workspace_id ?? null,
    actorUserId: user?.id ?? null,
    targetType: 'user',
    targetId: user?.id ?? null,
    ...meta,
  };
  if (!user || !passwordOk) {
    await em.transactional(async (tx) => {
      await recordFailure(tx, throttle);
      await recordAudit(tx, {
        ...audit,
        action: 'auth.login_failed',
        data: { email: body.email, reason: 'INVALID_CREDENTIALS' },
      });
    });
    return { kind: 'invalid' };
  }
  await clearAccountFailures(em, throttle);
  if (!membership?.usable) {
    await recordAudit(em, {
      ...audit,
      action: 'auth.login_failed',
      data: { email: body.email, reason: 'ACCOUNT_DISABLED' },
    });
    return { kind: 'disabled' };
  }
  if (user.mfa_enabled) {
    const mfaToken = newToken();
    await em.execute(
      `insert into mfa_challenge (id, token_hash, user_id, workspace_id, attempts, expires_at, created_at)
       values (?, ?, ?, ?, 0, ?, now())`,
      [
        randomUUID(),
        digest(mfaToken),
        user.id,
        membership.workspace_id,
        new Date(Date.now() + MFA_CHALLENGE_TTL_MS),
      ],
    );
    return { kind: 'mfa', mfaToken };
  }
  await em.transactional(async (tx) => {
    await tx.execute('update app_user set last_login_at = now() where id = ?', [user.id]);
    await recordAudit(tx, { ...audit, action: 'auth.login', data: { mfa: false } });
  });
  return { kind: 'ok', user, membership };
}

interface ChallengeRow {
  id: string;
  user_id: string;
  workspace_id: string;
  attempts: number;
}

type MfaOutcome =
  | { kind: 'invalid'; userId: string | null }
  | { kind: 'disabled' }
  | { kind: 'ok'; user: UserRow; membership: MembershipRow };

async function completeMfa(c: Context<AppEnv>, body: z.infer<typeof MfaBody>): Promise<MfaOutcome> {
  const em = c.get('em');
  const meta = requestMeta(c);
  const key = c.get('deps').config.MFA_ENCRYPTION_KEY;
  // The account behind the token, even a used or expired one, so its back-off applies to every attempt.
  const [known] = await em.execute<{ user_id: string }[]>(
    'select user_id from mfa_challenge where token_hash = ?',
    [digest(body.mfaToken)],
  );
  await assertNotThrottled(em, { action: 'mfa', ip: meta.ip, account: known?.user_id ?? null });
  return em.transactional(async (tx): Promise<MfaOutcome> => {
    const [challenge] = await tx.execute<ChallengeRow[]>(
      `select id, user_id, workspace_id, attempts from mfa_challenge
        where token_hash = ? and used_at is null and expires_at > now() for update`,
      [digest(body.mfaToken)],
    );
    if (!challenge) return { kind: 'invalid', userId: null };
    const user = await lockUserForMfa(tx, challenge.user_id);
    const membership = await pickMembership(tx, user.id, challenge.workspace_id);
    const audit = {
      tenantId: membership?.tenant_id ?? null,
      workspaceId: challenge.workspace_id,
      actorUserId: user.id,
      targetType: 'user',
      targetId: user.id,
      ...meta,
    };
    const method = user.mfa_enabled ? await acceptSecondFactor(tx, user, body.code, key) : null;
    if (!method) {
      await tx.execute(
        `update mfa_challenge set attempts = attempts + 1,
                used_at = case when attempts + 1 >= ? then now() else null end
          where id = ?`,
        [MFA_MAX_ATTEMPTS, challenge.id],
      );
      await recordAudit(tx, { ...audit, action: 'auth.login_failed', data: { reason: 'INVALID_MFA_CODE' } });
      return { kind: 'invalid', userId: user.id };
    }
    await tx.execute('update mfa_challenge set used_at = now() where id = ?', [challenge.id]);
    if (method === 'recovery_code') await recordAudit(tx, { ...audit, action: 'auth.recovery_code_used' });
    if (!membership?.usable) {
      await recordAudit(tx, { ...audit, action: 'auth.login_failed', data: { reason: 'ACCOUNT_DISABLED' } });
      return { kind: 'disabled' };
    }
    await tx.execute('update app_user set last_login_at = now() where id = ?', [user.id]);
    await recordAudit(tx, { ...audit, action: 'auth.login', data: { mfa: method } });
    return { kind: 'ok', user, membership };
  });
}

const invalidCredentials = () => new AppError('INVALID_CREDENTIALS', 'the email or password is not correct');
const accountDisabled = () =>
  new AppError('ACCOUNT_DISABLED', 'this account has no active access to the workspace');

export const authRouter = createRouter()
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/auth/login',
      tags: ['Auth'],
      summary: 'Sign in with email and password',
      description:
        'Answers a session token (also set as the `session` cookie), or `mfaRequired` with a short-lived ' +
        '`mfaToken` for POST /v1/auth/mfa when the account has MFA on.',
      access: 'public',
      request: { body: jsonBody(LoginBody) },
      responses: {
        200: jsonContent(z.union([SignedIn, MfaRequired]), 'Signed in, or the second step is needed'),
        400: problemResponse('VALIDATION_FAILED'),
        401: problemResponse('INVALID_CREDENTIALS (same answer for an unknown email and a wrong password)'),
        403: problemResponse('ACCOUNT_DISABLED'),
        429: problemResponse('RATE_LIMITED, with Retry-After'),
      },
    }),
    async (c) => {
      const outcome = await login(c, c.req.valid('json'));
      if (outcome.kind === 'invalid') throw invalidCredentials();
      if (outcome.kind === 'disabled') throw accountDisabled();
      if (outcome.kind === 'mfa')
        return c.json({ mfaRequired: true as const, mfaToken: outcome.mfaToken }, 200);
      return c.json(await startSession(c, outcome.user, outcome.membership), 200);
    },
  )
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/auth/mfa',
      tags: ['Auth'],
      summary: 'Complete a sign-in with a TOTP code or an unused recovery code',
      access: 'public',
      request: { body: jsonBody(MfaBody) },
      responses: {
        200: jsonContent(SignedIn, 'Signed in'),
        400: problemResponse('VALIDATION_FAILED (e.g. a malformed code)'),
        401: problemResponse('INVALID_MFA_CODE (wrong or replayed code, unknown, used or expired mfaToken)'),
        403: problemResponse('ACCOUNT_DISABLED'),
        429: problemResponse('RATE_LIMITED, with Retry-After'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const outcome = await completeMfa(c, body);
      if (outcome.kind === 'invalid') {
        await recordFailure(c.get('em'), { action: 'mfa', ip: clientIp(c), account: outcome.userId });
        throw new AppError('INVALID_MFA_CODE', 'the code is not valid, or the sign-in has expired');
      }
      if (outcome.kind === 'disabled') throw accountDisabled();
      await clearAccountFailures(c.get('em'), { action: 'mfa', ip: null, account: outcome.user.id });
      return c.json(await startSession(c, outcome.user, outcome.membership), 200);
    },
  )
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/auth/logout',
      tags: ['Auth'],
      summary: 'Sign out: revoke the current session',
      access: 'member',
      allowPendingPasswordChange: true,
      responses: {
        204: { description: 'The session is revoked' },
        401: problemResponse('UNAUTHENTICATED'),
        403: problemResponse('FORBIDDEN (CSRF check)'),
      },
    }),
    async (c) => {
      const auth = c.get('auth');
      await c.get('em').transactional(async (tx) => {
        await tx.execute('delete from session where id = ?', [auth.sessionId]);
        await recordAudit(tx, {
          tenantId: auth.workspace.tenantId,
          workspaceId: auth.workspace.id,
          actorUserId: auth.user.id,
          action: 'auth.logout',
          targetType: 'user',
          targetId: auth.user.id,
          ...requestMeta(c),
        });
      });
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    },
  );
