// The application's lifetime ended undecided: SUBMITTED becomes EXPIRED with its audit row. Returns the final
// status (a decided application stays as it is). Idempotent.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { MerchantApplicationStatus } from './contract';
import { recordAudit } from '../../db/store/audit';
import { lockApplication, updateApplication } from '../../db/store/merchants';

export async function expireMerchantApplication(
  em: EntityManager,
  input: { key: string; tenantId: string; applicationId: string },
): Promise<MerchantApplicationStatus> {
  return em.transactional(async (tx) => {
    const app = await lockApplication(tx, input.applicationId, input.tenantId);
    if (!app) return 'EXPIRED';
    if (app.status !== 'SUBMITTED') return app.status as MerchantApplicationStatus;
    await updateApplication(tx, app, { status: 'EXPIRED' });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      action: 'merchant.application_expired',
      targetType: 'merchant_application',
      targetId: input.applicationId,
      data: { key: input.key },
    });
    return 'EXPIRED';
  });
}
