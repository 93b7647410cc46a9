// Decline an invitation sent to the actor's login email.
import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '../errors';
import type { RequestOrigin } from './actor';
import { assertStillPending } from './invitation-rules';
import { recordAudit } from '../../db/store/audit';
import { lockInvitation, settleInvitation } from '../../db/store/invitations';

export async function declineInvitation(
  em: EntityManager,
  input: { invitationId: string },
  actor: RequestOrigin & { userId: string; loginEmail: string },
): Promise<void> {
  await em.transactional(async (tx) => {
    const invitation = await lockInvitation(tx, { id: input.invitationId, email: actor.loginEmail });
    if (!invitation) throw notFound('invitation');
    assertStillPending(invitation, new Date());
    await settleInvitation(tx, invitation.id, 'DECLINED');
    await recordAudit(tx, {
      tenantId: invitation.tenant,
      workspaceId: invitation.workspace,
      actorUserId: actor.userId,
      action: 'invitation.declined',
      targetType: 'invitation',
      targetId: invitation.id,
      data: { email: invitation.email },
      ip: actor.ip,
      requestId: actor.requestId,
    });
  });
}
