// Suspends or reactivates a partner with its workspace; suspension ends its members' sessions. Repeating the
// change is a no-op; any other state is a CONFLICT.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditBy, type Actor } from '../identity/actor';
import { AppError, notFound } from '../errors';
import { nextPartnerStatus, type PartnerStatusChange } from './rules';
import { applyWorkspaceStatus } from '../tenancy/apply-workspace-status';
import { recordAudit } from '../../db/store/audit';
import { findPartner, lockPartner, updatePartner, type PartnerView } from '../../db/store/partners';
import { recordPartnerEvent } from './record-partner-event';

export async function changePartnerStatus(
  em: EntityManager,
  input: { tenantId: string; partnerId: string; change: PartnerStatusChange },
  actor: Actor,
): Promise<PartnerView> {
  return em.transactional(async (tx) => {
    const partner = await lockPartner(tx, input.partnerId, input.tenantId);
    if (!partner) throw notFound('partner');
    const step = nextPartnerStatus(partner.status, Boolean(partner.workspace), input.change);
    if (step.refusal) throw new AppError('CONFLICT', step.refusal);
    if (step.to && partner.workspace) {
      await updatePartner(tx, partner, { status: step.to });
      const revoked = await applyWorkspaceStatus(tx, partner.workspace, step.to);
      await recordAudit(
        tx,
        auditBy(
          actor,
          input.change === 'suspend' ? 'partner.suspended' : 'partner.reactivated',
          { type: 'partner', id: input.partnerId },
          { partnerWorkspaceId: partner.workspace, sessionsRevoked: revoked },
        ),
      );
      // Each change is its own event (a partner may be suspended and reactivated many times).
      await recordPartnerEvent(tx, {
        tenantId: input.tenantId,
        partnerId: input.partnerId,
        type: input.change === 'suspend' ? 'partner.suspended' : 'partner.reactivated',
        key: `partner.${input.change}:${input.partnerId}:${randomUUID()}`,
      });
    }
    return (await findPartner(tx, input.tenantId, input.partnerId))!;
  });
}
