// The event of a partner's status change (partner.activated / failed / suspended / reactivated), written in the
// change's transaction with the partner as the API shows it. It belongs to the tenant's workspace (the tenant
// administers partners); a partner's own endpoints get the partner's transfers, not its administration.
import type { EntityManager } from '@mikro-orm/postgresql';
import { findPartner } from '../../db/store/partners';
import { tenantWorkspaceId } from '../../db/store/events';
import type { EventType } from '../events/contract';
import { recordEvent } from '../events/record-event';

export async function recordPartnerEvent(
  tx: EntityManager,
  input: { tenantId: string; partnerId: string; type: EventType; key: string },
): Promise<void> {
  const partner = await findPartner(tx, input.tenantId, input.partnerId);
  if (!partner) return;
  await recordEvent(tx, {
    type: input.type,
    tenantId: input.tenantId,
    workspaceId: await tenantWorkspaceId(tx, input.tenantId),
    data: { ...partner },
    key: input.key,
  });
}
