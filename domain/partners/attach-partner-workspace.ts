// Provisioning step: the partner's PARTNER workspace with the given role set, linked to the partner.
import type { EntityManager } from '@mikro-orm/postgresql';
import { createWorkspace } from '../tenancy/create-workspace';
import { lockPartner, updatePartner } from '../../db/store/partners';

export async function attachPartnerWorkspace(
  em: EntityManager,
  input: {
    partnerId: string;
    tenantId: string;
    workspaceId: string;
    name: string;
    roleIds: Record<string, string>;
  },
): Promise<void> {
  await em.transactional(async (tx) => {
    await createWorkspace(tx, { ...input, kind: 'PARTNER' });
    const partner = await lockPartner(tx, input.partnerId);
    if (partner) await updatePartner(tx, partner, { workspace: input.workspaceId });
  });
}
