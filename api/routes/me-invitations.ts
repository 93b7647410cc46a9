// Invitations received by the signed-in user's login email: list, accept (joins the workspace), decline.
import { acceptInvitationAsMember } from '../../domain/identity/accept-invitation';
import { declineInvitation } from '../../domain/identity/decline-invitation';
import { originOf } from '../actor';
import { signalInvitationSettled } from '../identity-workflows';
import {
  InvitationListQuery,
  InvitationSchema,
  readInvitation,
  readInvitationPage,
} from '../render/invitations';
import {
  COMMON_ERRORS,
  createRouter,
  defineRoute,
  IdParam,
  jsonContent,
  pageOf,
  problemResponse,
} from '../openapi';

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
      request: { query: InvitationListQuery },
      responses: { 200: jsonContent(pageOf(InvitationSchema), 'A page of invitations'), ...COMMON_ERRORS },
    }),
    async (c) => {
      return c.json(
        await readInvitationPage(c.get('em'), { email: c.get('auth').user.loginEmail }, c.req.valid('query')),
        200,
      );
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
      const { user } = c.get('auth');
      const em = c.get('em');
      await acceptInvitationAsMember(
        em,
        { invitationId: id },
        { userId: user.id, loginEmail: user.loginEmail, ...originOf(c) },
      );
      await signalInvitationSettled(c.get('deps'), id, 'ACCEPTED');
      return c.json(await readInvitation(em, id), 200);
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
      const { user } = c.get('auth');
      const em = c.get('em');
      await declineInvitation(
        em,
        { invitationId: id },
        { userId: user.id, loginEmail: user.loginEmail, ...originOf(c) },
      );
      await signalInvitationSettled(c.get('deps'), id, 'DECLINED');
      return c.json(await readInvitation(em, id), 200);
    },
  );
