// The signed-in user: profile, password change, account security, TOTP enrolment and sessions.
import { deleteCookie } from 'hono/cookie';
import { notFound } from '../../domain/errors';
import { changePassword } from '../../domain/identity/change-password';
import { confirmTotpEnrolment } from '../../domain/identity/confirm-totp-enrolment';
import { disableMfa } from '../../domain/identity/disable-mfa';
import { revokeSession } from '../../domain/identity/revoke-session';
import { publicSessionId, SESSION_REF_PATTERN } from '../../domain/identity/session-ref';
import { startTotpEnrolment } from '../../domain/identity/start-totp-enrolment';
import { PASSWORD_MAX, PasswordSchema } from '../../domain/passwords';
import { PERMISSION_CATALOG } from '../../domain/permissions';
import { otpauthUrl, TOTP_CODE_PATTERN } from '../../domain/totp';
import { readAccountSecurity } from '../../db/store/mfa';
import { findActiveSessions } from '../../db/store/sessions';
import { actorOf } from '../actor';
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
    .regex(SESSION_REF_PATTERN, 'not a session ID')
    .openapi({ param: { name: 'id', in: 'path' } }),
});

const CATALOG_ORDER = new Map<string, number>(PERMISSION_CATALOG.map((p, i) => [p.key, i]));

function catalogOrder(keys: Iterable<string>): string[] {
  return [...keys].sort((a, b) => (CATALOG_ORDER.get(a) ?? 999) - (CATALOG_ORDER.get(b) ?? 999));
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

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
      await changePassword(c.get('em'), { ...body, sessionId: c.get('auth').sessionId }, actorOf(c));
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
      const row = await readAccountSecurity(c.get('em'), c.get('auth').user.id);
      if (!row) throw notFound('user');
      return c.json(
        {
          ...row,
          passwordChangedAt: iso(row.passwordChangedAt),
          lastLoginAt: iso(row.lastLoginAt),
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
      const secret = await startTotpEnrolment(
        c.get('em'),
        actorOf(c),
        c.get('deps').config.MFA_ENCRYPTION_KEY,
      );
      return c.json({ secret, otpauthUrl: otpauthUrl(secret, c.get('auth').user.loginEmail) }, 200);
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
      const recoveryCodes = await confirmTotpEnrolment(
        c.get('em'),
        { code, sessionId: c.get('auth').sessionId },
        actorOf(c),
        c.get('deps').config.MFA_ENCRYPTION_KEY,
      );
      return c.json({ recoveryCodes }, 200);
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
      await disableMfa(
        c.get('em'),
        { ...body, sessionId: c.get('auth').sessionId },
        actorOf(c),
        c.get('deps').config.MFA_ENCRYPTION_KEY,
      );
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
      const sessions = await findActiveSessions(c.get('em'), auth.user.id);
      return c.json(
        {
          data: sessions.map((s) => ({
            id: publicSessionId(s.id),
            current: s.id === auth.sessionId,
            workspaceId: s.workspace,
            createdAt: new Date(s.createdAt).toISOString(),
            lastSeenAt: new Date(s.lastSeenAt).toISOString(),
            ip: s.ip ?? null,
            userAgent: s.userAgent ?? null,
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
      const revoked = await revokeSession(c.get('em'), id, actorOf(c));
      if (revoked === c.get('auth').sessionId) deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    },
  );
