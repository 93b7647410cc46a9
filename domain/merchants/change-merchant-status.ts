// Suspends or reactivates a merchant with its workspace (the one suspension rule, domain/tenancy/suspension.ts):
// suspension ends its members' sessions, and a SUSPENDED workspace blocks their logins and new transfers.
// Repeating the change is a no-op; any other state is a CONFLICT.
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditBy, type Actor } from '../identity/actor';
import { AppError, notFound } from '../errors';
import type { MerchantView } from './contract';
import { nextMerchantStatus } from './rules';
import { applyWorkspaceStatus } from '../tenancy/apply-workspace-status';
import type { SuspensionChange } from '../tenancy/suspension';
import { recordAudit } from '../../db/store/audit';
import { findMerchant, lockMerchant, updateMerchant } from '../../db/store/merchants';

export async function changeMerchantStatus(
  em: EntityManager,
  input: { tenantId: string; merchantId: string; change: SuspensionChange },
  actor: Actor,
): Promise<MerchantView> {
  return em.transactional(async (tx) => {
    const merchant = await lockMerchant(tx, input.merchantId, input.tenantId);
    if (!merchant) throw notFound('merchant');
    const step = nextMerchantStatus(merchant.status, Boolean(merchant.workspace), input.change);
    if (step.refusal) throw new AppError('CONFLICT', step.refusal);
    if (step.to && merchant.workspace) {
      await updateMerchant(tx, merchant, { status: step.to });
      const revoked = await applyWorkspaceStatus(tx, merchant.workspace, step.to);
      await recordAudit(
        tx,
        auditBy(
          actor,
          input.change === 'suspend' ? 'merchant.suspended' : 'merchant.reactivated',
          { type: 'merchant', id: input.merchantId },
          { merchantWorkspaceId: merchant.workspace, sessionsRevoked: revoked },
        ),
      );
    }
    return (await findMerchant(tx, input.tenantId, input.merchantId))!;
  });
}
