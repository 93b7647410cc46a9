// Provisioning step: the owner's admin (not activated until it accepts its invitation) with the Admin role,
// linked to the owner.
import type { EntityManager } from '@mikro-orm/postgresql';
import { createWorkspaceAdmin, type CreateWorkspaceAdminInput } from './create-workspace-admin';
import type { OwnerKind } from './workspace-owner';
import { lockOwner, updateOwner } from '../../db/store/workspace-owners';

export type AppointOwnerAdminInput = Omit<CreateWorkspaceAdminInput, 'credentialId' | 'via'> & {
  kind: OwnerKind;
  ownerId: string;
};

export async function appointOwnerAdmin(em: EntityManager, input: AppointOwnerAdminInput): Promise<void> {
  await em.transactional(async (tx) => {
    await createWorkspaceAdmin(tx, { ...input, via: `${input.kind}-provisioning` });
    const owner = await lockOwner(tx, input.kind, input.ownerId);
    if (owner) await updateOwner(tx, owner, { adminUser: input.userId });
  });
}
