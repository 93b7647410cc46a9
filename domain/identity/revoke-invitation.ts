// Revoke a pending invitation of the actor's workspace (its link stops working).
import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '../errors';
import { auditBy, type Actor } from './actor';
import { assertStillPending } from './invitation-rules';
import { recordAudit } from '../../db/store/audit';
import { lockInvitation, settleInvitation } from '../../db/store/invitations';

/** True when this call revoked it; false when it was already REVOKED (a repeated request). */
export async function revokeInvitation(
  em: EntityManager,
  input: { invitationId: string },
  actor: Actor,
): Promise<boolean> {
  return em.transactional(async (tx) => {
    const invitation = await lockInvitation(tx, { id: input.invitationId, workspaceId: actor.workspaceId });
    if (!invitation) throw notFound('invitation');
    if (invitation.status === 'REVOKED') return false;
    assertStillPending(invitation, new Date());
    await settleInvitation(tx, invitation.id, 'REVOKED');
    await recordAudit(
      tx,
      auditBy(
        actor,
        'invitation.revoked',
        { type: 'invitation', id: invitation.id },
        { email: invitation.email },
      ),
    );
    return true;
  });
}
