// Compensation of attachPartnerWorkspace: unlinks and removes the workspace with everything in it (idempotent).
import type { EntityManager } from '@mikro-orm/postgresql';
import { discardWorkspace } from '../tenancy/discard-workspace';
import { lockPartner, updatePartner } from '../../db/store/partners';

export async function detachPartnerWorkspace(
  em: EntityManager,
  input: { partnerId: string; workspaceId: string },
): Promise<void> {
  await em.transactional(async (tx) => {
    const partner = await lockPartner(tx, input.partnerId);
    if (partner?.workspace === input.workspaceId) await updatePartner(tx, partner, { workspace: null });
    await discardWorkspace(tx, input.workspaceId);
  });
}
