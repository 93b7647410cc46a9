// Compensation of createActivationInvitation: the invitation is revoked and its token stops working.
import type { EntityManager } from '@mikro-orm/postgresql';
import { revokePendingInvitation } from '../../db/store/invitations';

export async function revokeActivationInvitation(em: EntityManager, invitationId: string): Promise<void> {
  await em.transactional((tx) => revokePendingInvitation(tx, invitationId));
}
