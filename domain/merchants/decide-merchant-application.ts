// The tenant's decision on an application, run by the application workflow's approve/reject update: APPROVED
// with its merchant written PROVISIONING, or REJECTED with the reason; one transaction with the audit row.
// CONFLICT when it is already decided or expired; repeating the same decision (a retried step) answers again.
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, notFound } from '../errors';
import type { MerchantApplicationView, MerchantDecider } from './contract';
import { decisionRefusal } from './rules';
import { recordAudit } from '../../db/store/audit';
import { findApplication, lockApplication, updateApplication } from '../../db/store/merchants';
import { insertOwner } from '../../db/store/workspace-owners';

export type MerchantDecision =
  { kind: 'APPROVED'; merchantId: string } | { kind: 'REJECTED'; reason: string };

export async function decideMerchantApplication(
  em: EntityManager,
  input: {
    key: string;
    tenantId: string;
    applicationId: string;
    decision: MerchantDecision;
    decider: MerchantDecider;
  },
): Promise<MerchantApplicationView> {
  return em.transactional(async (tx) => {
    const app = await lockApplication(tx, input.applicationId, input.tenantId);
    if (!app) throw notFound('merchant application');
    const { decision, decider } = input;
    const repeated =
      app.status === decision.kind &&
      app.decidedBy === decider.userId &&
      (decision.kind === 'REJECTED' || app.merchant === decision.merchantId);
    if (!repeated) {
      const refusal = decisionRefusal(app.status);
      if (refusal) throw new AppError('CONFLICT', refusal);
      const decidedAt = new Date();
      if (decision.kind === 'APPROVED') {
        await insertOwner(tx, 'merchant', {
          id: decision.merchantId,
          tenantId: input.tenantId,
          name: app.businessName,
          adminEmail: app.email,
          currencies: app.currencies,
        });
        await updateApplication(tx, app, {
          status: 'APPROVED',
          merchant: decision.merchantId,
          decidedBy: decider.userId,
          decidedAt,
        });
      } else {
        await updateApplication(tx, app, {
          status: 'REJECTED',
          reason: decision.reason,
          decidedBy: decider.userId,
          decidedAt,
        });
      }
      await recordAudit(tx, {
        tenantId: input.tenantId,
        workspaceId: decider.workspaceId,
        actorUserId: decider.userId,
        ip: decider.ip,
        requestId: decider.requestId,
        action:
          decision.kind === 'APPROVED' ? 'merchant.application_approved' : 'merchant.application_rejected',
        targetType: 'merchant_application',
        targetId: input.applicationId,
        data:
          decision.kind === 'APPROVED'
            ? { key: input.key, merchantId: decision.merchantId }
            : { key: input.key, reason: decision.reason },
      });
    }
    return (await findApplication(tx, input.tenantId, input.applicationId))!;
  });
}
