// Workspace invitations: invite, list, revoke, resend, and the public accept-by-token route.
// Each invitation runs as the workflow `invitation-<id>`; state changes commit here with their audit row.
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { AppError } from '../../domain/errors';
import { hashPassword, PasswordSchema } from '../../domain/passwords';
import { recordAudit } from '../../db/store/audit';
import {
  acceptLockedInvitation,
  findInvitation,
  invitationJson,
  lockInvitation,
  SELECT_INVITATION,
  type InvitationRow,
} from '../../db/store/invitations';
import { startTenantNotification } from '../../activities/webhooks';
import { operationAttributes } from '../../workflows/search-attributes';
import {
  invitationSettledSignal,
  resendInvitationUpdate,
  type InvitationSettlement,
  type invitationWorkflow,
} from '../../workflows/invitation';
import type { AppDeps } from '../context';
import { digest } from '../auth/tokens';
import { clientIp } from '../throttle';
import { decodeCursor, pageFrom } from '../pagination';
import {
  COMMON_ERRORS,
  createRouter,
  defineRoute,
  IdParam,
  jsonBody,
  jsonContent,
  PageQuery,
  pageOf,
  problemResponse,
  z,
} from '../openapi';
import { EmailSchema } from './platform';

export const INVITATION_STATUSES = ['PENDING', 'ACCEPTED', 'DECLINED', 'REVOKED', 'EXPIRED'] as const;

export const InvitationSchema = z
  .object({
    id: z.uuid(),
    workspaceId: z.uuid(),
    workspaceName: z.string(),
    email: z.string(),
    roleId: z.uuid(),
    roleName: z.string(),
    status: z.enum(INVITATION_STATUSES),
    expiresAt: z.string(),
    invitedBy: z.uuid().nullable(),
    invitedByName: z.string().nullable(),
    respondedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Invitation');

const CreateInvitation = z.strictObject({ email: EmailSchema, roleId: z.uuid() }).openapi('CreateInvitation');

const AcceptInvitation = z
  .strictObject({
    token: z.string().min(1).max(200),
    name: z.string().trim().min(1).max(200).optional(),
    password: PasswordSchema.optional(),
  })
  .openapi('AcceptInvitation');

const ListQuery = PageQuery.extend({ status: z.enum(INVITATION_STATUSES).optional() });

export const invitationWorkflowId = (id: string) => `invitation-${id}`;

/** Tells the invitation's workflow that the API settled it; a workflow already gone is fine. */
export async function signalInvitationSettled(
  deps: AppDeps,
  invitationId: string,
  status: InvitationSettlement,
): Promise<void> {
  try {
    await deps.temporal.workflow
      .getHandle(invitationWorkflowId(invitationId))
      .signal(invitationSettledSignal, { status });
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return;
    deps.logger.warn({ err, invitationId }, 'could not signal the invitation workflow');
  }
}

/** Lists invitations matching `where` (SQL over `i`), newest first, with keyset pagination. */
export async function listInvitations(
  em: Parameters<typeof findInvitation>[0],
  where: { clause: string; params: unknown[] },
  query: { limit: number; cursor?: string; status?: string },
) {
  const clauses = [where.clause];
  const params = [...where.params];
  if (query.status) {
    clauses.push(
      `(case when i.status = 'PENDING' and i.expires_at <= now() then 'EXPIRED' else i.status end) = ?`,
    );
    params.push(query.status);
  }
  const cursor = decodeCursor(query.cursor);
  if (cursor) {
    clauses.push(`(date_trunc('milliseconds', i.created_at), i.id) < (?::timestamptz, ?::uuid)`);
    params.push(cursor.createdAt, cursor.id);
  }
  const rows = await em.execute<InvitationRow[]>(
    `${SELECT_INVITATION} where ${clauses.join(' and ')} order by date_trunc('milliseconds', i.created_at) desc, i.id desc limit ?`,
    [...params, query.limit + 1],
  );
  const page = pageFrom(
    rows.map((r) => ({ ...r, createdAt: new Date(r.created_at), id: r.id })),
    query.limit,
  );
  return { data: page.rows.map(invitationJson), nextCursor: page.nextCursor };
}

export const invitationsRouter = createRouter()
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/workspace/invitations',
      tags: ['Invitations'],
      summary: 'Invite someone by email to this workspace with a role',
      description:
        'The inviter must hold every permission of the role; this is checked again when the invitation is accepted.',
      access: 'settings.team.manage',
      request: { body: jsonBody(CreateInvitation) },
      responses: {
        202: jsonContent(InvitationSchema, 'The invitation is recorded and its email is on its way'),
        ...COMMON_ERRORS,
        409: problemResponse('CONFLICT: already a member, or a pending invitation exists'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const auth = c.get('auth');
      const deps = c.get('deps');
      const em = c.get('em');
      const id = randomUUID();
      await em.transactional(async (tx) => {
        const [role] = await tx.execute<{ permissions: string[] }[]>(
          'select permissions from role where id = ? and workspace_id = ?',
          [body.roleId, auth.workspace.id],
        );
        if (!role) throw new AppError('NOT_FOUND', 'role not found');
        const missing = role.permissions.filter((p) => !auth.permissions.has(p as never));
        if (missing.length) {
          throw new AppError(
            'FORBIDDEN',
            `you cannot grant permissions you do not hold: ${missing.join(', ')}`,
          );
        }
        const [member] = await tx.execute(
          `select 1 from membership m join app_user u on u.id = m.user_id
            where m.workspace_id = ? and u.login_email = lower(?)`,
          [auth.workspace.id, body.email],
        );
        if (member) throw new AppError('CONFLICT', `${body.email} is already a member of this workspace`);
        // A pending invitation past its expiry no longer blocks a new one.
        await tx.execute(
          `update invitation set status = 'EXPIRED', token_hash = null, updated_at = now()
            where workspace_id = ? and email = lower(?) and status = 'PENDING' and expires_at <= now()`,
          [auth.workspace.id, body.email],
        );
        const [pending] = await tx.execute(
          `select 1 from invitation where workspace_id = ? and email = lower(?) and status = 'PENDING'`,
          [auth.workspace.id, body.email],
        );
        if (pending) throw new AppError('CONFLICT', `${body.email} already has a pending invitation`);
        await tx.execute(
          `insert into invitation (id, tenant_id, workspace_id, email, role_id, status, expires_at, invited_by, created_at, updated_at)
           values (?, ?, ?, lower(?), ?, 'PENDING', now() + (?::bigint * interval '1 millisecond'), ?, now(), now())`,
          [
            id,
            auth.workspace.tenantId,
            auth.workspace.id,
            body.email,
            body.roleId,
            deps.config.INVITATION_TTL_MS,
            auth.user.id,
          ],
        );
        await recordAudit(tx, {
          tenantId: auth.workspace.tenantId,
          workspaceId: auth.workspace.id,
          actorUserId: auth.user.id,
          action: 'invitation.created',
          targetType: 'invitation',
          targetId: id,
          data: { email: body.email, roleId: body.roleId },
          ip: clientIp(c),
          requestId: c.get('requestId'),
        });
        // Started before the commit, so no invitation exists without its workflow; the workflow's first
        // activity waits until this row is visible.
        await deps.temporal.workflow.start<typeof invitationWorkflow>('invitationWorkflow', {
          taskQueue: deps.taskQueue,
          workflowId: invitationWorkflowId(id),
          typedSearchAttributes: operationAttributes(auth.workspace.tenantId, auth.workspace.id),
          args: [
            {
              invitationId: id,
              tenantId: auth.workspace.tenantId,
              workspaceId: auth.workspace.id,
              ttlMs: deps.config.INVITATION_TTL_MS,
            },
          ],
        });
      });
      startTenantNotification(deps.temporal, deps.taskQueue, {
        tenantId: auth.workspace.tenantId,
        event: 'member.invited',
        eventKey: `invitation-${id}-created`,
        data: { invitationId: id, workspaceId: auth.workspace.id, email: body.email, roleId: body.roleId },
      }).catch((err: unknown) => deps.logger.warn({ err, invitationId: id }, 'member.invited not notified'));
      const row = await findInvitation(em, { id });
      return c.json(invitationJson(row!), 202);
    },
  )
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/workspace/invitations',
      tags: ['Invitations'],
      summary: 'Invitations sent from this workspace, newest first',
      access: 'settings.team.view',
      request: { query: ListQuery },
      responses: { 200: jsonContent(pageOf(InvitationSchema), 'A page of invitations'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const page = await listInvitations(
        c.get('em'),
        { clause: 'i.workspace_id = ?', params: [c.get('auth').workspace.id] },
        query,
      );
      return c.json(page, 200);
    },
  )
  .openapi(
    defineRoute({
      method: 'delete',
      path: '/v1/workspace/invitations/{id}',
      tags: ['Invitations'],
      summary: 'Revoke a pending invitation (its link stops working)',
      access: 'settings.team.manage',
      request: { params: IdParam },
      responses: {
        204: { description: 'Revoked' },
        ...COMMON_ERRORS,
        409: problemResponse('CONFLICT: the invitation was already accepted, declined or has expired'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const auth = c.get('auth');
      const em = c.get('em');
      const revoked = await em.transactional(async (tx) => {
        const [row] = await tx.execute<{ status: string; email: string; expired: boolean }[]>(
          `select status, email, expires_at <= now() as expired from invitation
            where id = ? and workspace_id = ? for update`,
          [id, auth.workspace.id],
        );
        if (!row) throw new AppError('NOT_FOUND', 'invitation not found');
        if (row.status === 'REVOKED') return false;
        if (row.status !== 'PENDING' || row.expired) {
          throw new AppError('CONFLICT', `the invitation is ${row.expired ? 'EXPIRED' : row.status}`);
        }
        await tx.execute(
          `update invitation set status = 'REVOKED', token_hash = null, responded_at = now(), updated_at = now() where id = ?`,
          [id],
        );
        await recordAudit(tx, {
          tenantId: auth.workspace.tenantId,
          workspaceId: auth.workspace.id,
          actorUserId: auth.user.id,
          action: 'invitation.revoked',
          targetType: 'invitation',
          targetId: id,
          data: { email: row.email },
          ip: clientIp(c),
          requestId: c.get('requestId'),
        });
        return true;
      });
      if (revoked) await signalInvitationSettled(c.get('deps'), id, 'REVOKED');
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/workspace/invitations/{id}/resend',
      tags: ['Invitations'],
      summary: 'Send a new link: the previous link stops working and the expiry starts again',
      access: 'settings.team.manage',
      request: { params: IdParam },
      responses: {
        202: jsonContent(InvitationSchema, 'A fresh link was issued and mailed'),
        ...COMMON_ERRORS,
        409: problemResponse('CONFLICT: the invitation is no longer pending'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const auth = c.get('auth');
      const deps = c.get('deps');
      const em = c.get('em');
      const row = await findInvitation(em, { id, workspaceId: auth.workspace.id });
      if (!row) throw new AppError('NOT_FOUND', 'invitation not found');
      if (row.status !== 'PENDING') throw new AppError('CONFLICT', `the invitation is ${row.status}`);
      let outcome: string;
      try {
        outcome = await deps.temporal.workflow
          .getHandle(invitationWorkflowId(id))
          .executeUpdate(resendInvitationUpdate);
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError) {
          throw new AppError('CONFLICT', 'the invitation is no longer pending');
        }
        throw err;
      }
      if (outcome !== 'SENT') throw new AppError('CONFLICT', 'the invitation is no longer pending');
      await recordAudit(em, {
        tenantId: auth.workspace.tenantId,
        workspaceId: auth.workspace.id,
        actorUserId: auth.user.id,
        action: 'invitation.resent',
        targetType: 'invitation',
        targetId: id,
        data: { email: row.email },
        ip: clientIp(c),
        requestId: c.get('requestId'),
      });
      return c.json(invitationJson((await findInvitation(em, { id }))!), 202);
    },
  )
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/invitations/accept',
      tags: ['Invitations'],
      summary: 'Accept an invitation with the token from its email',
      description:
        '`name` and `password` are required when the invited email has no account yet, or an account that was never activated (e.g. a provisioned partner admin); they are ignored otherwise.',
      access: 'public',
      request: { body: jsonBody(AcceptInvitation) },
      responses: {
        200: jsonContent(z.object({ workspaceId: z.uuid(), userId: z.uuid() }), 'You are now a member'),
        400: problemResponse('INVALID_TOKEN (unknown, used, revoked or expired) or VALIDATION_FAILED'),
        403: problemResponse('FORBIDDEN: the inviter may no longer grant the role'),
        409: problemResponse('CONFLICT: already a member'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const deps = c.get('deps');
      const passwordHash = body.password ? await hashPassword(body.password) : null;
      const result = await c.get('em').transactional(async (tx) => {
        const invitation = await lockInvitation(tx, { tokenHash: digest(body.token) });
        if (!invitation || invitation.status !== 'PENDING' || invitation.expired) {
          throw new AppError('INVALID_TOKEN', 'the invitation link is unknown, used, revoked or expired');
        }
        const [user] = await tx.execute<{ id: string; activated: boolean }[]>(
          'select id, activated from app_user where login_email = lower(?) for update',
          [invitation.email],
        );
        if (!user || !user.activated) {
          const errors = [
            ...(body.name ? [] : [{ path: 'body.name', message: 'required to create your account' }]),
            ...(passwordHash ? [] : [{ path: 'body.password', message: 'required to create your account' }]),
          ];
          if (errors.length)
            throw new AppError('VALIDATION_FAILED', 'name and password are required', { errors });
        }
        const userId = user?.id ?? randomUUID();
        if (!user) {
          await tx.execute(
            `insert into app_user (id, login_email, name, password_hash, activated, must_change_password, password_changed_at, created_at)
             values (?, lower(?), ?, ?, true, false, now(), now())`,
            [userId, invitation.email, body.name, passwordHash],
          );
        } else if (!user.activated) {
          await tx.execute(
            `update app_user set name = ?, password_hash = ?, activated = true, must_change_password = false,
                    password_changed_at = now() where id = ?`,
            [body.name, passwordHash, userId],
          );
        }
        await acceptLockedInvitation(tx, invitation, userId, randomUUID(), {
          ip: clientIp(c),
          requestId: c.get('requestId'),
          via: 'token',
          activatingAccount: Boolean(user && !user.activated),
        });
        return { workspaceId: invitation.workspace_id, userId, invitationId: invitation.id };
      });
      await signalInvitationSettled(deps, result.invitationId, 'ACCEPTED');
      return c.json({ workspaceId: result.workspaceId, userId: result.userId }, 200);
    },
  );
