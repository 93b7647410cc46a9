// Writes a provisioned admin's activation invitation (PENDING, no token yet) for the invitation workflow to mail.
import type { EntityManager } from '@mikro-orm/postgresql';
import { insertInvitation } from '../../db/store/invitations';
import type { ActivationInvitationInput } from './contract';

export async function createActivationInvitation(
  em: EntityManager,
  input: ActivationInvitationInput,
): Promise<void> {
  await em.transactional((tx) =>
    insertInvitation(tx, {
      id: input.invitationId,
      tenantId: input.tenantId,
      workspaceId: input.workspaceId,
      email: input.email,
      roleId: input.roleId,
      invitedBy: input.invitedBy,
      ttlMs: input.ttlMs,
    }),
  );
}
