// The application workflow's first step: the application row (SUBMITTED) with its audit row and its
// merchant.application_submitted event (for the tenant's workspace: the tenant decides). The one place an
// application is inserted; idempotent by application ID. NOT_FOUND when the tenant is gone.
import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '../errors';
import type { MerchantApplicationFields, MerchantRequestOrigin } from './contract';
import { recordAudit } from '../../db/store/audit';
import { tenantWorkspaceId } from '../../db/store/events';
import { findApplication, insertApplication } from '../../db/store/merchants';
import { recordEvent } from '../events/record-event';
import { tenantIsActive } from '../../db/store/tenancy';

export async function recordMerchantApplication(
  em: EntityManager,
  input: {
    key: string;
    applicationId: string;
    tenantId: string;
    application: MerchantApplicationFields;
    origin: MerchantRequestOrigin;
  },
): Promise<void> {
  await em.transactional(async (tx) => {
    if (!(await tenantIsActive(tx, input.tenantId))) throw notFound('tenant');
    const outcome = await insertApplication(tx, {
      id: input.applicationId,
      tenantId: input.tenantId,
      ...input.application,
    });
    if (outcome === 'exists') return;
    await recordAudit(tx, {
      tenantId: input.tenantId,
      ip: input.origin.ip,
      requestId: input.origin.requestId,
      action: 'merchant.application_submitted',
      targetType: 'merchant_application',
      targetId: input.applicationId,
      data: {
        key: input.key,
        businessName: input.application.businessName,
        country: input.application.country,
        currencies: input.application.currencies,
      },
    });
    await recordEvent(tx, {
      type: 'merchant.application_submitted',
      tenantId: input.tenantId,
      workspaceId: await tenantWorkspaceId(tx, input.tenantId),
      data: { ...(await findApplication(tx, input.tenantId, input.applicationId))! },
      key: `merchant.application_submitted:${input.applicationId}`,
    });
  });
}
