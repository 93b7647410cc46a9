// Last provisioning step: the merchant is linked to its workspace and admin and becomes ACTIVE, with its audit
// row and its merchant.activated event (for the tenant's workspace, as partner.activated). Nothing to
// compensate. Idempotent (only a PROVISIONING merchant changes).
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../../db/store/audit';
import { tenantWorkspaceId } from '../../db/store/events';
import { findMerchant, lockMerchant, updateMerchant } from '../../db/store/merchants';
import { recordEvent } from '../events/record-event';

export async function activateMerchant(
  em: EntityManager,
  input: { key: string; tenantId: string; merchantId: string; workspaceId: string; adminUserId: string },
): Promise<void> {
  await em.transactional(async (tx) => {
    const merchant = await lockMerchant(tx, input.merchantId);
    if (merchant?.status !== 'PROVISIONING') return;
    await updateMerchant(tx, merchant, {
      status: 'ACTIVE',
      workspace: input.workspaceId,
      adminUser: input.adminUserId,
      failureReason: null,
    });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      action: 'merchant.activated',
      targetType: 'merchant',
      targetId: input.merchantId,
      data: { key: input.key, workspaceId: input.workspaceId },
    });
    await recordEvent(tx, {
      type: 'merchant.activated',
      tenantId: input.tenantId,
      workspaceId: await tenantWorkspaceId(tx, input.tenantId),
      data: { ...(await findMerchant(tx, input.tenantId, input.merchantId))! },
      key: `merchant.activated:${input.merchantId}`,
    });
  });
}
