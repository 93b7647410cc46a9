// Writes a provisioned admin's activation invitation (PENDING, no token yet) for the invitation workflow to mail.
import type { EntityManager } from '@mikro-orm/postgresql';
import { insertInvitation } from '../../db/store/invitations';

export async function createActivationInvitation(
  em: EntityManager,
  input: {
    tenantId: string;
    workspaceId: string;
    invitationId: string;
    email: string;
    roleId: string;
    invitedBy: string | null;
    ttlMs: number;
  },
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
