// Forgotten-password help: request a reset (always 202), complete it with the mailed token, and an admin
// starting a reset for a member. Each reset runs as the workflow `password-reset-<id>`, which mails the token;
// the new password is set here, in one transaction, and never reaches Temporal.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../domain/errors';
import { hashPassword, PasswordSchema } from '../../domain/passwords';
import { recordAudit } from '../../db/store/audit';
import { operationAttributes } from '../../workflows/search-attributes';
import {
  passwordResetEndedSignal,
  type PasswordResetEnd,
  type passwordResetWorkflow,
} from '../../workflows/password-reset';
import { revokeSessions } from '../auth/sessions';
import { digest } from '../auth/tokens';
import type { AppDeps } from '../context';
import { assertNotThrottled, clientIp, recordFailure } from '../throttle';
import { COMMON_ERRORS, createRouter, defineRoute, jsonBody, problemResponse, z } from '../openapi';
import { EmailSchema } from './platform';

/** Every request answers no sooner than this, so a known and an unknown email take about the same time. */
const RESPONSE_FLOOR_MS = 300;

const RequestReset = z.strictObject({ email: EmailSchema }).openapi('PasswordResetRequest');
const CompleteReset = z
  .strictObject({ token: z.string().min(1).max(200), newPassword: PasswordSchema })
  .openapi('PasswordResetComplete');
const UserIdParam = z.object({ userId: z.uuid().openapi({ param: { name: 'userId', in: 'path' } }) });

const resetWorkflowId = (id: string) => `password-reset-${id}`;

async function signalResetEnded(deps: AppDeps, resetId: string, status: PasswordResetEnd): Promise<void> {
  try {
    await deps.temporal.workflow
      .getHandle(resetWorkflowId(resetId))
      .signal(passwordResetEndedSignal, { status });
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return;
    deps.logger.warn({ err, resetId }, 'could not signal the password-reset workflow');
  }
}

async function userTenantIds(em: EntityManager, userId: string): Promise<string[]> {
  const rows = await em.execute<{ tenant_id: string }[]>(
    `select distinct w.tenant_id from membership m join workspace w on w.id = m.workspace_id where m.user_id = ?`,
    [userId],
  );
  return rows.map((r) => r.tenant_id);
}

interface ResetRequest {
  userId: string;
  /** The admin who asked for it; null for the user's own request. */
  requestedBy: string | null;
  workspaceId: string | null;
  tenantId: string | null;
  requestId: string;
  ip: string | null;
}

/**
 * Supersedes the user's pending resets, records a new one with its audit rows and starts its workflow, all
 * before the commit (so no reset exists without its workflow); then ends the superseded workflows.
 */
async function startReset(deps: AppDeps, em: EntityManager, request: ResetRequest): Promise<string> {
  const resetId = randomUUID();
  const superseded = await em.transactional(async (tx) => {
    const older = await tx.execute<{ id: string }[]>(
      `update password_reset set status = 'SUPERSEDED', token_hash = null
        where user_id = ? and status = 'PENDING' returning id`,
      [request.userId],
    );
    await tx.execute(
      `insert into password_reset (id, user_id, token_hash, status, requested_by, workspace_id, expires_at, created_at)
       values (?, ?, null, 'PENDING', ?, ?, now() + (?::bigint * interval '1 millisecond'), now())`,
      [resetId, request.userId, request.requestedBy, request.workspaceId, deps.config.PASSWORD_RESET_TTL_MS],
    );
    const tenants = request.tenantId ? [request.tenantId] : await userTenantIds(tx, request.userId);
    for (const tenantId of tenants.length ? tenants : [null]) {
      await recordAudit(tx, {
        tenantId,
        workspaceId: request.workspaceId,
        actorUserId: request.requestedBy,
        action: 'password_reset.requested',
        targetType: 'user',
        targetId: request.userId,
        data: { resetId, byAdmin: request.requestedBy !== null },
        ip: request.ip,
        requestId: request.requestId,
      });
    }
    await deps.temporal.workflow.start<typeof passwordResetWorkflow>('passwordResetWorkflow', {
      taskQueue: deps.taskQueue,
      workflowId: resetWorkflowId(resetId),
      ...(tenants[0] ? { typedSearchAttributes: operationAttributes(tenants[0], request.workspaceId) } : {}),
      args: [{ resetId, userId: request.userId, ttlMs: deps.config.PASSWORD_RESET_TTL_MS }],
    });
    return older.map((r) => r.id);
  });
  for (const id of superseded) await signalResetEnded(deps, id, 'SUPERSEDED');
  return resetId;
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
      const [user] = await em.execute<{ id: string }[]>(
        'select id from app_user where login_email = lower(?)',
        [email],
      );
      if (user) {
        await startReset(c.get('deps'), em, {
          userId: user.id,
          requestedBy: null,
          workspaceId: null,
          tenantId: null,
          requestId: c.get('requestId'),
          ip,
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
      const passwordHash = await hashPassword(body.newPassword);
      const reset = await em.transactional(async (tx) => {
        const [row] = await tx.execute<{ id: string; user_id: string }[]>(
          `select id, user_id from password_reset
            where token_hash = ? and status = 'PENDING' and expires_at > now() for update`,
          [digest(body.token)],
        );
        if (!row) return null;
        await tx.execute(
          `update app_user set password_hash = ?, password_changed_at = now(), must_change_password = false,
                  activated = true where id = ?`,
          [passwordHash, row.user_id],
        );
        await tx.execute(
          `update password_reset set status = 'USED', used_at = now(), token_hash = null where id = ?`,
          [row.id],
        );
        const revoked = await revokeSessions(tx, { userId: row.user_id });
        const tenants = await userTenantIds(tx, row.user_id);
        for (const tenantId of tenants.length ? tenants : [null]) {
          await recordAudit(tx, {
            tenantId,
            actorUserId: row.user_id,
            action: 'password_reset.completed',
            targetType: 'user',
            targetId: row.user_id,
            data: { resetId: row.id, sessionsRevoked: revoked },
            ip: subject.ip,
            requestId: c.get('requestId'),
          });
        }
        return row;
      });
      if (!reset) {
        await recordFailure(em, subject);
        throw new AppError('INVALID_TOKEN', 'the reset link is unknown, used or expired');
      }
      await signalResetEnded(c.get('deps'), reset.id, 'USED');
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
      const em = c.get('em');
      const [member] = await em.execute('select 1 from membership where workspace_id = ? and user_id = ?', [
        auth.workspace.id,
        userId,
      ]);
      if (!member) throw new AppError('NOT_FOUND', 'member not found');
      await startReset(c.get('deps'), em, {
        userId,
        requestedBy: auth.user.id,
        workspaceId: auth.workspace.id,
        tenantId: auth.workspace.tenantId,
        requestId: c.get('requestId'),
        ip: clientIp(c),
      });
      return c.body(null, 202);
    },
  );
