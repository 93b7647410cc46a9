// The end of an owner's provisioning saga: ACTIVE after its last step, or FAILED with the reason after the
// compensations (its workspace and admin links cleared), each with its audit row and the kind's event, and the
// owner's onboarding-batch row (if any) SUCCEEDED or FAILED with it. Idempotent: only a PROVISIONING owner
// changes.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { BatchRowRef } from '../partners/contract';
import { recordAudit } from '../../db/store/audit';
import { finishBatchRow } from '../../db/store/onboarding';
import { lockOwner, updateOwner } from '../../db/store/workspace-owners';
import { recordOwnerEvent } from './record-owner-event';
import type { OwnerKind } from './workspace-owner';

export interface OwnerProvisioningEnd {
  key: string;
  kind: OwnerKind;
  tenantId: string;
  ownerId: string;
  batchRow?: BatchRowRef;
  /** ACTIVE: the links the saga made last (merchants link workspace and admin when activated). */
  links?: { workspaceId: string; adminUserId: string };
  /** Set: the provisioning failed. */
  reason?: string;
}

export async function settleOwnerProvisioning(em: EntityManager, input: OwnerProvisioningEnd): Promise<void> {
  const failed = input.reason !== undefined;
  await em.transactional(async (tx) => {
    const owner = await lockOwner(tx, input.kind, input.ownerId);
    if (input.batchRow) {
      await finishBatchRow(tx, input.batchRow, failed ? 'FAILED' : 'SUCCEEDED', input.reason ?? null);
    }
    if (owner?.status !== 'PROVISIONING') return;
    await updateOwner(
      tx,
      owner,
      failed
        ? { status: 'FAILED', failureReason: input.reason!.slice(0, 1000), workspace: null, adminUser: null }
        : {
            status: 'ACTIVE',
            failureReason: null,
            ...(input.links && { workspace: input.links.workspaceId, adminUser: input.links.adminUserId }),
          },
    );
    await recordAudit(tx, {
      tenantId: input.tenantId,
      action: `${input.kind}.${failed ? 'provisioning_failed' : 'activated'}`,
      targetType: input.kind,
      targetId: input.ownerId,
      data: {
        key: input.key,
        ...(failed && { reason: input.reason }),
        ...(input.links && { workspaceId: input.links.workspaceId }),
      },
    });
    const change = failed ? 'failed' : 'activated';
    await recordOwnerEvent(tx, {
      kind: input.kind,
      change,
      tenantId: input.tenantId,
      ownerId: input.ownerId,
      key: `${input.kind}.${change}:${input.ownerId}`,
    });
  });
}
