// Forgotten-password help: request a reset (always 202), complete it with the mailed token, and an admin
// starting a reset for a member. Each reset runs as the workflow `password-reset-<id>`, which mails the token;
// the new password is set here, in one transaction, and never reaches Temporal.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Context } from 'hono';
import { AppError, notFound } from '../../domain/errors';
import { completePasswordReset } from '../../domain/identity/complete-password-reset';
import { passwordResetWorkflowId } from '../../domain/identity/password-reset-contract';
import {
  requestPasswordReset,
  type RequestPasswordResetInput,
} from '../../domain/identity/request-password-reset';
import { hashPassword, PasswordSchema } from '../../domain/passwords';
import { isMember, tenantsOfUser } from '../../db/store/members';
import { findUserByEmail } from '../../db/store/users';
import { originOf } from '../actor';
import { digest } from '../../domain/tokens';
import type { AppEnv } from '../context';
import { commitOrAbandon, signalPasswordResetEnded, startPasswordResetWorkflow } from '../identity-workflows';
import { clientIp } from '../client-ip';
import { assertNotThrottled, recordFailure } from '../../domain/identity/throttle';
import {
  COMMON_ERRORS,
  createRouter,
  defineRoute,
  EmailSchema,
  jsonBody,
  problemResponse,
  z,
} from '../openapi';

/** Every request answers no sooner than this, so a known and an unknown email take about the same time. */
const RESPONSE_FLOOR_MS = 300;

const RequestReset = z.strictObject({ email: EmailSchema }).openapi('PasswordResetRequest');
const CompleteReset = z
  .strictObject({ token: z.string().min(1).max(200), newPassword: PasswordSchema })
  .openapi('PasswordResetComplete');
const UserIdParam = z.object({ userId: z.uuid().openapi({ param: { name: 'userId', in: 'path' } }) });

/**
 * Starts the reset's workflow (outside any transaction), then records the reset; when recording fails the
 * workflow is abandoned. The superseded resets' workflows are told afterwards.
 */
async function startReset(
  c: Context<AppEnv>,
  request: Omit<RequestPasswordResetInput, 'resetId' | 'ttlMs'>,
): Promise<void> {
  const deps = c.get('deps');
  const input = { ...request, resetId: randomUUID(), ttlMs: deps.config.PASSWORD_RESET_TTL_MS };
  const tenantId = request.tenantIds[0];
  await startPasswordResetWorkflow(
    deps,
    { resetId: input.resetId, userId: input.userId, ttlMs: input.ttlMs },
    tenantId ? { tenantId, workspaceId: input.workspaceId } : null,
  );
  const superseded = await commitOrAbandon(deps, passwordResetWorkflowId(input.resetId), () =>
    requestPasswordReset(c.get('em'), input, originOf(c)),
  );
  for (const id of superseded) await signalPasswordResetEnded(deps, id, 'SUPERSEDED');
}

export const passwordResetRouter = createRouter()
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/auth/password-reset',
      tags: ['Auth'],
      summary: 'Ask for a password-reset email',
      description:
        'Always 202, whether or not the email has an account (no enumeration). When it has, a single-use link valid for `PASSWORD_RESET_TTL` is mailed and older links stop working. Throttled per email and per IP.',
      access: 'public',
      request: { body: jsonBody(RequestReset) },
      responses: {
        202: { description: 'Accepted' },
        400: problemResponse('VALIDATION_FAILED'),
        429: problemResponse('RATE_LIMITED'),
      },
    }),
    async (c) => {
      const started = performance.now();
      const { email } = c.req.valid('json');
      const em = c.get('em');
      const ip = clientIp(c);
      const subject = { action: 'password-reset', ip, account: email };
      await assertNotThrottled(em, subject);
      // Every request counts: each may send a mail, whether or not the address has an account.
      await recordFailure(em, subject);
      const user = await findUserByEmail(em, email);
      if (user) {
        await startReset(c, {
          userId: user.id,
          requestedBy: null,
          workspaceId: null,
          tenantIds: await tenantsOfUser(em, user.id),
        });
      }
      const remaining = RESPONSE_FLOOR_MS - (performance.now() - started);
      if (remaining > 0) await sleep(remaining);
      return c.body(null, 202);
    },
  )
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/auth/password-reset/complete',
      tags: ['Auth'],
      summary: 'Set a new password with the token from the reset email',
      description: 'Every session of the user is revoked. The token works once.',
      access: 'public',
      request: { body: jsonBody(CompleteReset) },
      responses: {
        204: { description: 'The password is set; sign in with it' },
        400: problemResponse('INVALID_TOKEN (unknown, used or expired) or VALIDATION_FAILED'),
        429: problemResponse('RATE_LIMITED'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const em = c.get('em');
      const subject = { action: 'password-reset-complete', ip: clientIp(c) };
      await assertNotThrottled(em, subject);
      const resetId = await completePasswordReset(
        em,
        { tokenHash: digest(body.token), passwordHash: await hashPassword(body.newPassword) },
        originOf(c),
      );
      if (!resetId) {
        await recordFailure(em, subject);
        throw new AppError('INVALID_TOKEN', 'the reset link is unknown, used or expired');
      }
      await signalPasswordResetEnded(c.get('deps'), resetId, 'USED');
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/workspace/members/{userId}/password-reset',
      tags: ['Members'],
      summary: 'Send a member a password-reset email',
      description: 'The admin never sets or sees the password; the member chooses it from the email.',
      access: 'settings.team.manage',
      request: { params: UserIdParam },
      responses: { 202: { description: 'The member gets a reset email' }, ...COMMON_ERRORS },
    }),
    async (c) => {
      const { userId } = c.req.valid('param');
      const auth = c.get('auth');
      if (!(await isMember(c.get('em'), auth.workspace.id, userId))) throw notFound('member');
      await startReset(c, {
        userId,
        requestedBy: auth.user.id,
        workspaceId: auth.workspace.id,
        tenantIds: [auth.workspace.tenantId],
      });
      return c.body(null, 202);
    },
  );
