// Sign-in (password, then TOTP or a recovery code when MFA is on) and sign-out.
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { AppError } from '../../domain/errors';
import { completeMfaSignIn } from '../../domain/identity/complete-mfa-sign-in';
import { signIn } from '../../domain/identity/sign-in';
import type { SignedInUser } from '../../domain/identity/sign-in-contract';
import { signOut } from '../../domain/identity/sign-out';
import { PASSWORD_MAX } from '../../domain/passwords';
import type { SignInMembership } from '../../db/store/members';
import { actorOf, originOf } from '../actor';
import { clientIp } from '../client-ip';
import type { AppEnv } from '../context';
import { sessionManager, SESSION_COOKIE } from '../middleware/auth';
import { createRouter, defineRoute, jsonBody, jsonContent, problemResponse, z } from '../openapi';
import { CodeSchema, SessionUser, SessionWorkspace } from '../render/session';

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

/** Creates the session, sets the cookie and builds the sign-in answer. */
async function startSession(c: Context<AppEnv>, user: SignedInUser, membership: SignInMembership) {
  const deps = c.get('deps');
  const session = await sessionManager(deps).create(user.id, membership.workspaceId, {
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
    user,
    workspace: {
      id: membership.workspaceId,
      kind: membership.kind,
      name: membership.name,
      tenantId: membership.tenantId,
    },
  };
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
      const outcome = await signIn(c.get('em'), c.req.valid('json'), originOf(c));
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
      const outcome = await completeMfaSignIn(
        c.get('em'),
        c.req.valid('json'),
        originOf(c),
        c.get('deps').config.MFA_ENCRYPTION_KEY,
      );
      if (outcome.kind === 'invalid')
        throw new AppError('INVALID_MFA_CODE', 'the code is not valid, or the sign-in has expired');
      if (outcome.kind === 'disabled') throw accountDisabled();
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
      await signOut(c.get('em'), c.get('auth').sessionId, actorOf(c));
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    },
  );
