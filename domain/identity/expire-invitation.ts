// Expire a still-PENDING invitation at the end of its lifetime (its token dies with it), with its audit row.
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../../db/store/audit';
import { expireIfPending, invitationStatus } from '../../db/store/invitations';

/** The invitation's final status: EXPIRED by this call, the status it already had, or GONE (no row). */
export async function expireInvitation(em: EntityManager, input: { invitationId: string }): Promise<string> {
  return em.transactional(async (tx) => {
    const expired = await expireIfPending(tx, input.invitationId);
    if (!expired) return (await invitationStatus(tx, input.invitationId)) ?? 'GONE';
    await recordAudit(tx, {
      tenantId: expired.tenant,
      workspaceId: expired.workspace,
      action: 'invitation.expired',
      targetType: 'invitation',
      targetId: input.invitationId,
      data: { email: expired.email },
    });
    return 'EXPIRED';
  });
}
