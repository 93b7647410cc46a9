// After the provisioning compensations: the merchant ends FAILED with the reason and its audit row. Idempotent.
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../../db/store/audit';
import { lockMerchant, updateMerchant } from '../../db/store/merchants';

export async function failMerchantProvisioning(
  em: EntityManager,
  input: { key: string; tenantId: string; merchantId: string; reason: string },
): Promise<void> {
  await em.transactional(async (tx) => {
    const merchant = await lockMerchant(tx, input.merchantId);
    if (merchant?.status !== 'PROVISIONING') return;
    await updateMerchant(tx, merchant, {
      status: 'FAILED',
      failureReason: input.reason.slice(0, 1000),
      workspace: null,
      adminUser: null,
    });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      action: 'merchant.provisioning_failed',
      targetType: 'merchant',
      targetId: input.merchantId,
      data: { key: input.key, reason: input.reason },
    });
  });
}
