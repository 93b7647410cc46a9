// Last provisioning step: the partner becomes ACTIVE (and its batch row SUCCEEDED). Nothing to compensate.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { BatchRowRef } from './contract';
import { recordAudit } from '../../db/store/audit';
import { finishBatchRow } from '../../db/store/onboarding';
import { lockPartner, updatePartner } from '../../db/store/partners';
import { recordPartnerEvent } from './record-partner-event';

export async function activatePartner(
  em: EntityManager,
  input: { key: string; tenantId: string; partnerId: string; batchRow?: BatchRowRef },
): Promise<void> {
  await em.transactional(async (tx) => {
    const partner = await lockPartner(tx, input.partnerId);
    if (input.batchRow) await finishBatchRow(tx, input.batchRow, 'SUCCEEDED', null);
    if (partner?.status !== 'PROVISIONING') return;
    await updatePartner(tx, partner, { status: 'ACTIVE', failureReason: null });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      action: 'partner.activated',
      targetType: 'partner',
      targetId: input.partnerId,
      data: { key: input.key },
    });
    await recordPartnerEvent(tx, {
      tenantId: input.tenantId,
      partnerId: input.partnerId,
      type: 'partner.activated',
      key: `partner.activated:${input.partnerId}`,
    });
  });
}
