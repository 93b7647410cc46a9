// Compensation of attachOwnerWorkspace: unlinks and removes the workspace with everything in it (idempotent).
import type { EntityManager } from '@mikro-orm/postgresql';
import { discardWorkspace } from './discard-workspace';
import type { OwnerKind } from './workspace-owner';
import { lockOwner, updateOwner } from '../../db/store/workspace-owners';

export async function detachOwnerWorkspace(
  em: EntityManager,
  input: { kind: OwnerKind; ownerId: string; workspaceId: string },
): Promise<void> {
  await em.transactional(async (tx) => {
    const owner = await lockOwner(tx, input.kind, input.ownerId);
    if (owner?.workspace === input.workspaceId) await updateOwner(tx, owner, { workspace: null });
    await discardWorkspace(tx, input.workspaceId);
  });
}
