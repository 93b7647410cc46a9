// The signed-in user: profile, password change, account security, TOTP enrolment and sessions.
import type { Context } from 'hono';
import { deleteCookie } from 'hono/cookie';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';
import { AppError, notFound } from '../../domain/errors';
import { PASSWORD_MAX, PasswordSchema, hashPassword, verifyPassword } from '../../domain/passwords';
import { PERMISSION_CATALOG } from '../../domain/permissions';
import {
  encryptSecret,
  decryptSecret,
  newRecoveryCodes,
  newTotpSecret,
  otpauthUrl,
  recoveryCodeDigest,
  TOTP_CODE_PATTERN,
  verifyTotp,
} from '../../domain/totp';
import { recordAudit } from '../../db/store/audit';
import { pgTextArray } from '../../db/sql';
import { revokeSessions } from '../auth/sessions';
import type { AppEnv } from '../context';
import { SESSION_COOKIE } from '../middleware/auth';
import {
  COMMON_ERRORS,
  createRouter,
  defineRoute,
  jsonBody,
  jsonContent,
  problemResponse,
  z,
} from '../openapi';
import { assertNotThrottled, clearAccountFailures, clientIp, recordFailure } from '../throttle';
import { acceptSecondFactor, lockUserForMfa } from '../../db/store/mfa';
import { CodeSchema, SessionUser, SessionWorkspace } from '../render/session';

const Me = z
  .object({
    user: SessionUser,
    workspace: SessionWorkspace,
    role: z.object({ id: z.uuid(), name: z.string() }),
    permissions: z.array(z.string()),
  })
  .openapi('Me');

const ChangePasswordBody = z
  .strictObject({ currentPassword: z.string().min(1).max(PASSWORD_MAX), newPassword: PasswordSchema })
  .openapi('ChangePassword');

const Security = z
  .object({
    mfaEnabled: z.boolean(),
    totpEnrolled: z.boolean().openapi({ description: 'A confirmed TOTP secret is on file' }),
    totpPending: z.boolean().openapi({ description: 'An enrolment was started and awaits its first code' }),
    recoveryCodesRemaining: z.number().int(),
    passwordChangedAt: z.string().nullable(),
    lastLoginAt: z.string().nullable(),
    activeSessions: z.number().int(),
  })
  .openapi('AccountSecurity');

const TotpEnrolment = z
  .object({ secret: z.string(), otpauthUrl: z.string() })
  .openapi('TotpEnrolment', { description: 'Shown once; store it in an authenticator app' });

const VerifyTotpBody = z
  .strictObject({ code: z.string().trim().regex(TOTP_CODE_PATTERN, 'expected a 6-digit code') })
  .openapi('VerifyTotp');

const RecoveryCodes = z
  .object({ recoveryCodes: z.array(z.string()).length(10) })
  .openapi('RecoveryCodes', { description: 'Shown once; each works once instead of a TOTP code' });

const DisableMfaBody = z
  .strictObject({ password: z.string().min(1).max(PASSWORD_MAX), code: CodeSchema })
  .openapi('DisableMfa');

const SessionItem = z
  .object({
    id: z.string(),
    current: z.boolean(),
    workspaceId: z.uuid(),
    createdAt: z.string(),
    lastSeenAt: z.string(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
  })
  .openapi('Session');

const SessionIdParam = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{22}$/, 'not a session ID')
    .openapi({ param: { name: 'id', in: 'path' } }),
});

/** Sessions are keyed by the token's digest; clients see a second, one-way reference instead. */
function publicSessionId(sessionId: string): string {
  return createHash('sha256').update(`session-ref:${sessionId}`).digest('base64url').slice(0, 22);
}

function auditBase(c: Context<AppEnv>) {
  const auth = c.get('auth');
  return {
    tenantId: auth.workspace.tenantId,
    workspaceId: auth.workspace.id,
    actorUserId: auth.user.id,
    targetType: 'user',
    targetId: auth.user.id,
    ip: clientIp(c),
    requestId: c.get('requestId'),
  };
}

const CATALOG_ORDER = new Map<string, number>(PERMISSION_CATALOG.map((p, i) => [p.key, i]));

function catalogOrder(keys: Iterable<string>): string[] {
  return [...keys].sort((a, b) => (CATALOG_ORDER.get(a) ?? 999) - (CATALOG_ORDER.get(b) ?? 999));
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

async function replaceRecoveryCodes(tx: EntityManager, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await tx.execute('delete from recovery_code where user_id = ?', [userId]);
  await tx.execute(
    `insert into recovery_code (id, user_id, code_hash, used_at, created_at)
     select gen_random_uuid(), ?, h, null, now() from unnest(?::text[]) as h`,
    [userId, pgTextArray(codes.map(recoveryCodeDigest))],
  );
  return codes;
}

const badCode = () =>
  new AppError('INVALID_MFA_CODE', 'the code is not valid (or was already used)', { status: 400 });
const badPassword = () =>
  new AppError('INVALID_CREDENTIALS', 'the current password is not correct', { status: 400 });

export const meRouter = createRouter()
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/me',
      tags: ['Me'],
      summary: 'Who am I: user, workspace, role and permissions',
      access: 'member',
      allowPendingPasswordChange: true,
      responses: { 200: jsonContent(Me, 'The caller'), ...COMMON_ERRORS },
    }),
    (c) => {
      const auth = c.get('auth');
      return c.json(
        {
          user: auth.user,
          workspace: auth.workspace,
          role: auth.role,
          permissions: catalogOrder(auth.permissions),
        },
        200,
      );
    },
  )
  .openapi(
    defineRoute({
      method: 'put',
      path: '/v1/me/password',
      tags: ['Me'],
      summary: 'Change the password (the other sessions are revoked)',
      access: 'member',
      allowPendingPasswordChange: true,
      request: { body: jsonBody(ChangePasswordBody) },
      responses: {
        204: { description: 'Changed' },
        ...COMMON_ERRORS,
        400: problemResponse('VALIDATION_FAILED or INVALID_CREDENTIALS (wrong current password)'),
        429: problemResponse('RATE_LIMITED'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const auth = c.get('auth');
      const em = c.get('em');
      const throttle = { action: 'password-change', ip: clientIp(c), account: auth.user.id };
      await assertNotThrottled(em, throttle);
      if (body.newPassword === body.currentPassword) {
        throw new AppError('VALIDATION_FAILED', 'the new password must differ from the current one', {
          errors: [{ path: 'body.newPassword', message: 'must differ from the current password' }],
        });
      }
      const newHash = await hashPassword(body.newPassword);
      const changed = await em.transactional(async (tx) => {
        const user = await lockUserForMfa(tx, auth.user.id);
        if (!user.password_hash || !(await verifyPassword(user.password_hash, body.currentPassword)))
          return false;
        await tx.execute(
          `update app_user set password_hash = ?, must_change_password = false, activated = true,
                  password_changed_at = now() where id = ?`,
          [newHash, auth.user.id],
        );
        const revoked = await revokeSessions(tx, { userId: auth.user.id, exceptSessionId: auth.sessionId });
        await recordAudit(tx, {
          ...auditBase(c),
          action: 'user.password_changed',
          data: { revokedSessions: revoked },
        });
        return true;
      });
      if (!changed) {
        await recordFailure(em, throttle);
        throw badPassword();
      }
      await clearAccountFailures(em, throttle);
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/me/security',
      tags: ['Me'],
      summary: 'Account security overview',
      access: 'member',
      allowPendingPasswordChange: true,
      responses: { 200: jsonContent(Security, 'The caller’s account security'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const [row] = await c.get('em').execute<
        {
          mfa_enabled: boolean;
          totp_enrolled: boolean;
          totp_pending: boolean;
          password_changed_at: Date | null;
          last_login_at: Date | null;
          recovery_codes_remaining: string;
          active_sessions: string;
        }[]
      >(
        `select u.mfa_enabled, u.totp_secret_enc is not null as totp_enrolled,
                u.totp_pending_secret_enc is not null as totp_pending, u.password_changed_at, u.last_login_at,
                (select count(*) from recovery_code r where r.user_id = u.id and r.used_at is null)
                  as recovery_codes_remaining,
                (select count(*) from session s where s.user_id = u.id and s.expires_at > now()
                    and s.absolute_expires_at > now()) as active_sessions
           from app_user u where u.id = ?`,
        [c.get('auth').user.id],
      );
      if (!row) throw notFound('user');
      return c.json(
        {
          mfaEnabled: row.mfa_enabled,
          totpEnrolled: row.totp_enrolled,
          totpPending: row.totp_pending,
          recoveryCodesRemaining: Number(row.recovery_codes_remaining),
          passwordChangedAt: iso(row.password_changed_at),
          lastLoginAt: iso(row.last_login_at),
          activeSessions: Number(row.active_sessions),
        },
        200,
      );
    },
  )
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/me/mfa/totp',
      tags: ['Me'],
      summary: 'Start TOTP enrolment: a new secret (MFA stays off until verified)',
      access: 'member',
      responses: {
        200: jsonContent(TotpEnrolment, 'The secret and otpauth URL, shown once'),
        ...COMMON_ERRORS,
        409: problemResponse('CONFLICT: MFA is already on'),
      },
    }),
    async (c) => {
      const auth = c.get('auth');
      const secret = newTotpSecret();
      const encrypted = encryptSecret(secret, c.get('deps').config.MFA_ENCRYPTION_KEY);
      await c.get('em').transactional(async (tx) => {
        const user = await lockUserForMfa(tx, auth.user.id);
        if (user.mfa_enabled) throw new AppError('CONFLICT', 'MFA is already on; disable it first');
        await tx.execute('update app_user set totp_pending_secret_enc = ? where id = ?', [
          encrypted,
          auth.user.id,
        ]);
        await recordAudit(tx, { ...auditBase(c), action: 'user.mfa_enrolment_started' });
      });
      return c.json({ secret, otpauthUrl: otpauthUrl(secret, auth.user.loginEmail) }, 200);
    },
  )
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/me/mfa/totp/verify',
      tags: ['Me'],
      summary: 'Confirm TOTP enrolment with a code: MFA turns on, 10 recovery codes are returned once',
      access: 'member',
      request: { body: jsonBody(VerifyTotpBody) },
      responses: {
        200: jsonContent(RecoveryCodes, 'MFA is on'),
        ...COMMON_ERRORS,
        400: problemResponse('VALIDATION_FAILED or INVALID_MFA_CODE'),
        409: problemResponse('CONFLICT: no enrolment pending, or MFA already on'),
        429: problemResponse('RATE_LIMITED'),
      },
    }),
    async (c) => {
      const { code } = c.req.valid('json');
      const auth = c.get('auth');
      const em = c.get('em');
      const key = c.get('deps').config.MFA_ENCRYPTION_KEY;
      const throttle = { action: 'mfa', ip: clientIp(c), account: auth.user.id };
      await assertNotThrottled(em, throttle);
      const codes = await em.transactional(async (tx) => {
        const user = await lockUserForMfa(tx, auth.user.id);
        const pendingSecret = user.totp_pending_secret_enc;
        if (user.mfa_enabled) throw new AppError('CONFLICT', 'MFA is already on');
        if (!pendingSecret) throw new AppError('CONFLICT', 'start an enrolment first (POST /v1/me/mfa/totp)');
        const lastStep = user.totp_last_step === null ? null : Number(user.totp_last_step);
        const step = await verifyTotp(decryptSecret(pendingSecret, key), code, lastStep);
        if (step === null) return null;
        await tx.execute(
          `update app_user set mfa_enabled = true, totp_secret_enc = totp_pending_secret_enc,
                  totp_pending_secret_enc = null, totp_last_step = ? where id = ?`,
          [step, auth.user.id],
        );
        const recoveryCodes = await replaceRecoveryCodes(tx, auth.user.id);
        const revoked = await revokeSessions(tx, { userId: auth.user.id, exceptSessionId: auth.sessionId });
        await recordAudit(tx, {
          ...auditBase(c),
          action: 'user.mfa_enabled',
          data: { revokedSessions: revoked },
        });
        return recoveryCodes;
      });
      if (!codes) {
        await recordFailure(em, throttle);
        throw badCode();
      }
      await clearAccountFailures(em, throttle);
      return c.json({ recoveryCodes: codes }, 200);
    },
  )
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/me/mfa/disable',
      tags: ['Me'],
      summary: 'Turn MFA off (needs the password and a TOTP or recovery code)',
      access: 'member',
      request: { body: jsonBody(DisableMfaBody) },
      responses: {
        204: { description: 'MFA is off; the other sessions are revoked' },
        ...COMMON_ERRORS,
        400: problemResponse('VALIDATION_FAILED, INVALID_CREDENTIALS or INVALID_MFA_CODE'),
        409: problemResponse('CONFLICT: MFA is not on'),
        429: problemResponse('RATE_LIMITED'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const auth = c.get('auth');
      const em = c.get('em');
      const key = c.get('deps').config.MFA_ENCRYPTION_KEY;
      const throttle = { action: 'mfa', ip: clientIp(c), account: auth.user.id };
      await assertNotThrottled(em, throttle);
      const outcome = await em.transactional(async (tx) => {
        const user = await lockUserForMfa(tx, auth.user.id);
        if (!user.mfa_enabled) throw new AppError('CONFLICT', 'MFA is not on');
        if (!user.password_hash || !(await verifyPassword(user.password_hash, body.password)))
          return 'password';
        const method = await acceptSecondFactor(tx, user, body.code, key);
        if (!method) return 'code';
        await tx.execute(
          `update app_user set mfa_enabled = false, totp_secret_enc = null, totp_pending_secret_enc = null,
                  totp_last_step = null where id = ?`,
          [auth.user.id],
        );
        await tx.execute('delete from recovery_code where user_id = ?', [auth.user.id]);
        const revoked = await revokeSessions(tx, { userId: auth.user.id, exceptSessionId: auth.sessionId });
        if (method === 'recovery_code')
          await recordAudit(tx, { ...auditBase(c), action: 'auth.recovery_code_used' });
        await recordAudit(tx, {
          ...auditBase(c),
          action: 'user.mfa_disabled',
          data: { revokedSessions: revoked, with: method },
        });
        return 'ok';
      });
      if (outcome !== 'ok') {
        await recordFailure(em, throttle);
        throw outcome === 'password' ? badPassword() : badCode();
      }
      await clearAccountFailures(em, throttle);
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/me/sessions',
      tags: ['Me'],
      summary: 'The caller’s active sessions, newest first',
      access: 'member',
      responses: { 200: jsonContent(z.object({ data: z.array(SessionItem) }), 'Sessions'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const auth = c.get('auth');
      const rows = await c.get('em').execute<
        {
          id: string;
          workspace_id: string;
          created_at: Date;
          last_seen_at: Date;
          ip: string | null;
          user_agent: string | null;
        }[]
      >(
        `select id, workspace_id, created_at, last_seen_at, ip, user_agent from session
          where user_id = ? and expires_at > now() and absolute_expires_at > now()
          order by created_at desc, id`,
        [auth.user.id],
      );
      return c.json(
        {
          data: rows.map((r) => ({
            id: publicSessionId(r.id),
            current: r.id === auth.sessionId,
            workspaceId: r.workspace_id,
            createdAt: new Date(r.created_at).toISOString(),
            lastSeenAt: new Date(r.last_seen_at).toISOString(),
            ip: r.ip,
            userAgent: r.user_agent,
          })),
        },
        200,
      );
    },
  )
  .openapi(
    defineRoute({
      method: 'delete',
      path: '/v1/me/sessions/{id}',
      tags: ['Me'],
      summary: 'Revoke one of the caller’s sessions',
      access: 'member',
      request: { params: SessionIdParam },
      responses: { 204: { description: 'Revoked' }, ...COMMON_ERRORS },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const auth = c.get('auth');
      const em = c.get('em');
      const sessions = await em.execute<{ id: string }[]>('select id from session where user_id = ?', [
        auth.user.id,
      ]);
      const target = sessions.find((s) => publicSessionId(s.id) === id);
      if (!target) throw notFound('session');
      await em.transactional(async (tx) => {
        await tx.execute('delete from session where id = ? and user_id = ?', [target.id, auth.user.id]);
        await recordAudit(tx, { ...auditBase(c), action: 'auth.session_revoked', data: { session: id } });
      });
      if (target.id === auth.sessionId) deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    },
  );
