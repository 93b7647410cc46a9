// After the compensations: the partner ends FAILED with the reason (and its batch row FAILED). Idempotent.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { BatchRowRef } from './contract';
import { recordAudit } from '../../db/store/audit';
import { finishBatchRow } from '../../db/store/onboarding';
import { lockPartner, updatePartner } from '../../db/store/partners';
import { recordPartnerEvent } from './record-partner-event';

export async function failPartnerProvisioning(
  em: EntityManager,
  input: { key: string; tenantId: string; partnerId: string; reason: string; batchRow?: BatchRowRef },
): Promise<void> {
  await em.transactional(async (tx) => {
    const partner = await lockPartner(tx, input.partnerId);
    if (input.batchRow) await finishBatchRow(tx, input.batchRow, 'FAILED', input.reason);
    if (partner?.status !== 'PROVISIONING') return;
    await updatePartner(tx, partner, {
      status: 'FAILED',
      failureReason: input.reason.slice(0, 1000),
      workspace: null,
      adminUser: null,
    });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      action: 'partner.provisioning_failed',
      targetType: 'partner',
      targetId: input.partnerId,
      data: { key: input.key, reason: input.reason },
    });
    await recordPartnerEvent(tx, {
      tenantId: input.tenantId,
      partnerId: input.partnerId,
      type: 'partner.failed',
      key: `partner.failed:${input.partnerId}`,
    });
  });
}
