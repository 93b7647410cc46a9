// Workspace invitations: invite, list, revoke, resend, and the public accept-by-token route.
// Each invitation runs as the workflow `invitation-<id>`, started before its row is committed (see
// api/identity-workflows.ts); state changes are commands in domain/identity/.
import { randomUUID } from 'node:crypto';
import { AppError, notFound } from '../../domain/errors';
import { acceptInvitationByToken } from '../../domain/identity/accept-invitation';
import { assertInvitable, createInvitation } from '../../domain/identity/create-invitation';
import { invitationWorkflowId } from '../../domain/identity/invitation-contract';
import { assertStillPending } from '../../domain/identity/invitation-rules';
import { recordInvitationResent } from '../../domain/identity/record-invitation-resent';
import { revokeInvitation } from '../../domain/identity/revoke-invitation';
import { hashPassword, PasswordSchema } from '../../domain/passwords';
import { findInvitationView } from '../../db/store/invitations';
import { actorOf, originOf } from '../actor';
import { digest } from '../../domain/tokens';
import {
  commitOrAbandon,
  resendInvitation,
  signalInvitationSettled,
  startInvitationWorkflow,
} from '../identity-workflows';
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
  EmailSchema,
  IdParam,
  jsonBody,
  jsonContent,
  pageOf,
  problemResponse,
  z,
} from '../openapi';

const CreateInvitation = z.strictObject({ email: EmailSchema, roleId: z.uuid() }).openapi('CreateInvitation');

const AcceptInvitation = z
  .strictObject({
    token: z.string().min(1).max(200),
    name: z.string().trim().min(1).max(200).optional(),
    password: PasswordSchema.optional(),
  })
  .openapi('AcceptInvitation');

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
      const deps = c.get('deps');
      const em = c.get('em');
      const actor = actorOf(c);
      const input = { invitationId: randomUUID(), ...body, ttlMs: deps.config.INVITATION_TTL_MS };
      await assertInvitable(em, input, actor);
      await startInvitationWorkflow(deps, {
        invitationId: input.invitationId,
        tenantId: actor.tenantId,
        workspaceId: actor.workspaceId,
        ttlMs: input.ttlMs,
        announce: { email: body.email, roleId: body.roleId },
      });
      await commitOrAbandon(deps, invitationWorkflowId(input.invitationId), () =>
        createInvitation(em, input, actor),
      );
      return c.json(await readInvitation(em, input.invitationId), 202);
    },
  )
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/workspace/invitations',
      tags: ['Invitations'],
      summary: 'Invitations sent from this workspace, newest first',
      access: 'settings.team.view',
      request: { query: InvitationListQuery },
      responses: { 200: jsonContent(pageOf(InvitationSchema), 'A page of invitations'), ...COMMON_ERRORS },
    }),
    async (c) => {
      return c.json(
        await readInvitationPage(
          c.get('em'),
          { workspaceId: c.get('auth').workspace.id },
          c.req.valid('query'),
        ),
        200,
      );
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
      if (await revokeInvitation(c.get('em'), { invitationId: id }, actorOf(c))) {
        await signalInvitationSettled(c.get('deps'), id, 'REVOKED');
      }
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
      const em = c.get('em');
      const view = await findInvitationView(em, { id, workspaceId: c.get('auth').workspace.id });
      if (!view) throw notFound('invitation');
      assertStillPending(view, new Date());
      if ((await resendInvitation(c.get('deps'), id)) !== 'SENT') {
        throw new AppError('CONFLICT', 'the invitation is no longer pending');
      }
      await recordInvitationResent(em, { invitationId: id, email: view.email }, actorOf(c));
      return c.json(await readInvitation(em, id), 202);
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
      const accepted = await acceptInvitationByToken(
        c.get('em'),
        {
          tokenHash: digest(body.token),
          name: body.name,
          passwordHash: body.password ? await hashPassword(body.password) : null,
        },
        originOf(c),
      );
      await signalInvitationSettled(c.get('deps'), accepted.invitationId, 'ACCEPTED');
      return c.json({ workspaceId: accepted.workspaceId, userId: accepted.userId }, 200);
    },
  );
