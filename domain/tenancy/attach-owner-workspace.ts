// Provisioning step: the owner's workspace (of the owner's kind) with the given role set, linked to the owner.
import type { EntityManager } from '@mikro-orm/postgresql';
import { createWorkspace, type CreateWorkspaceInput } from './create-workspace';
import { OWNER_KINDS, type OwnerKind } from './workspace-owner';
import { lockOwner, updateOwner } from '../../db/store/workspace-owners';

export async function attachOwnerWorkspace(
  em: EntityManager,
  input: Omit<CreateWorkspaceInput, 'kind'> & { kind: OwnerKind; ownerId: string },
): Promise<void> {
  await em.transactional(async (tx) => {
    await createWorkspace(tx, { ...input, kind: OWNER_KINDS[input.kind].workspaceKind });
    const owner = await lockOwner(tx, input.kind, input.ownerId);
    if (owner) await updateOwner(tx, owner, { workspace: input.workspaceId });
  });
}
