// The first provisioning step: the partner row (PROVISIONING) with its audit row, and its batch row RUNNING.
// The one place a partner is inserted; idempotent by partner ID.
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../errors';
import type { BatchRowRef, PartnerRequestOrigin } from './contract';
import { recordAudit } from '../../db/store/audit';
import { startBatchRow } from '../../db/store/onboarding';
import { insertOwner } from '../../db/store/workspace-owners';
import { isUniqueViolation } from '../../db/sql';

export interface PartnerRequest {
  key: string;
  partnerId: string;
  tenantId: string;
  name: string;
  adminEmail: string;
  adminName: string;
  currencies: string[];
  batchRow?: BatchRowRef;
  /** The tenant member who asked (null: none, e.g. a batch without its submitter any more). */
  actorUserId: string | null;
  /** Set when the API asked for the partner. */
  origin?: PartnerRequestOrigin;
}

export async function recordPartnerRequest(em: EntityManager, input: PartnerRequest): Promise<void> {
  try {
    await em.transactional(async (tx) => {
      const outcome = await insertOwner(tx, 'partner', {
        id: input.partnerId,
        tenantId: input.tenantId,
        name: input.name,
        adminEmail: input.adminEmail,
        adminName: input.adminName,
        currencies: input.currencies,
      });
      if (input.batchRow && !(await startBatchRow(tx, input.batchRow, input.partnerId))) {
        throw new AppError('CONFLICT', 'the onboarding batch row was skipped or already finished');
      }
      if (outcome === 'exists') return;
      await recordAudit(tx, {
        tenantId: input.tenantId,
        workspaceId: input.origin?.workspaceId ?? null,
        actorUserId: input.actorUserId,
        ip: input.origin?.ip ?? null,
        requestId: input.origin?.requestId ?? null,
        action: 'partner.provisioning_requested',
        targetType: 'partner',
        targetId: input.partnerId,
        data: {
          key: input.key,
          name: input.name,
          adminEmail: input.adminEmail,
          currencies: input.currencies,
          batch: input.batchRow ?? null,
        },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err, 'partner_admin_email_live_unique')) {
      throw new AppError(
        'CONFLICT',
        `the admin email ${input.adminEmail} is already used by another partner`,
      );
    }
    throw err;
  }
}
