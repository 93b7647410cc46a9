// Provisioning step: the partner's admin (not activated until it accepts its invitation) with the Admin role.
import type { EntityManager } from '@mikro-orm/postgresql';
import { createWorkspaceAdmin, type CreateWorkspaceAdminInput } from '../tenancy/create-workspace-admin';
import { lockPartner, updatePartner } from '../../db/store/partners';

export async function appointPartnerAdmin(
  em: EntityManager,
  input: Omit<CreateWorkspaceAdminInput, 'credentialId' | 'via'> & { partnerId: string },
): Promise<void> {
  await em.transactional(async (tx) => {
    await createWorkspaceAdmin(tx, { ...input, via: 'partner-provisioning' });
    const partner = await lockPartner(tx, input.partnerId);
    if (partner) await updatePartner(tx, partner, { adminUser: input.userId });
  });
}
