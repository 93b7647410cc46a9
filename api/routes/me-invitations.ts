// Invitations received by the signed-in user's login email: list, accept (joins the workspace), decline.
import { randomUUID } from 'node:crypto';
import { AppError } from '../../domain/errors';
import { recordAudit } from '../../db/store/audit';
import {
  acceptLockedInvitation,
  findInvitation,
  invitationJson,
  lockInvitation,
} from '../../db/store/invitations';
import type { AuthContext } from '../context';
import { clientIp } from '../throttle';
import {
  COMMON_ERRORS,
  createRouter,
  defineRoute,
  IdParam,
  jsonContent,
  PageQuery,
  pageOf,
  problemResponse,
  z,
} from '../openapi';
import {
  INVITATION_STATUSES,
  InvitationSchema,
  listInvitations,
  signalInvitationSettled,
} from './invitations';

const ListQuery = PageQuery.extend({ status: z.enum(INVITATION_STATUSES).optional() });

function notPending(status: string, expired: boolean): AppError {
  return new AppError(
    'CONFLICT',
    `the invitation is ${expired && status === 'PENDING' ? 'EXPIRED' : status}`,
  );
}

async function lockOwnInvitation(tx: Parameters<typeof lockInvitation>[0], auth: AuthContext, id: string) {
  const invitation = await lockInvitation(tx, { id, email: auth.user.loginEmail });
  if (!invitation) throw new AppError('NOT_FOUND', 'invitation not found');
  if (invitation.status !== 'PENDING' || invitation.expired) {
    throw notPending(invitation.status, invitation.expired);
  }
  return invitation;
}

const RESPONSES = {
  200: jsonContent(InvitationSchema, 'The invitation with its new status'),
  ...COMMON_ERRORS,
  409: problemResponse('CONFLICT: no longer pending, or already a member'),
};

export const meInvitationsRouter = createRouter()
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/me/invitations',
      tags: ['Me'],
      summary: 'Invitations sent to my login email, newest first',
      access: 'member',
      request: { query: ListQuery },
      responses: { 200: jsonContent(pageOf(InvitationSchema), 'A page of invitations'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const page = await listInvitations(
        c.get('em'),
        { clause: 'i.email = lower(?)', params: [c.get('auth').user.loginEmail] },
        c.req.valid('query'),
      );
      return c.json(page, 200);
    },
  )
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/me/invitations/{id}/accept',
      tags: ['Me'],
      summary: 'Accept an invitation: join its workspace with the invited role',
      access: 'member',
      request: { params: IdParam },
      responses: {
        ...RESPONSES,
        403: problemResponse('FORBIDDEN: the inviter may no longer grant the role'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const auth = c.get('auth');
      const em = c.get('em');
      await em.transactional(async (tx) => {
        const invitation = await lockOwnInvitation(tx, auth, id);
        await acceptLockedInvitation(tx, invitation, auth.user.id, randomUUID(), {
          ip: clientIp(c),
          requestId: c.get('requestId'),
          via: 'session',
        });
      });
      await signalInvitationSettled(c.get('deps'), id, 'ACCEPTED');
      return c.json(invitationJson((await findInvitation(em, { id }))!), 200);
    },
  )
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/me/invitations/{id}/decline',
      tags: ['Me'],
      summary: 'Decline an invitation',
      access: 'member',
      request: { params: IdParam },
      responses: RESPONSES,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const auth = c.get('auth');
      const em = c.get('em');
      await em.transactional(async (tx) => {
        const invitation = await lockOwnInvitation(tx, auth, id);
        await tx.execute(
          `update invitation set status = 'DECLINED', token_hash = null, responded_at = now(), updated_at = now() where id = ?`,
          [id],
        );
        await recordAudit(tx, {
          tenantId: invitation.tenant_id,
          workspaceId: invitation.workspace_id,
          actorUserId: auth.user.id,
          action: 'invitation.declined',
          targetType: 'invitation',
          targetId: id,
          data: { email: invitation.email },
          ip: clientIp(c),
          requestId: c.get('requestId'),
        });
      });
      await signalInvitationSettled(c.get('deps'), id, 'DECLINED');
      return c.json(invitationJson((await findInvitation(em, { id }))!), 200);
    },
  );
