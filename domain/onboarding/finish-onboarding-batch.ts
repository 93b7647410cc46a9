// Ends a batch: COMPLETED, or CANCELLED when cancelled (rows never started become SKIPPED), with the audit row of
// its outcome once. Returns the final status; a batch cancelled by the API stays CANCELLED.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { BatchStatus } from './contract';
import { recordAudit } from '../../db/store/audit';
import { tenantWorkspaceId } from '../../db/store/events';
import {
  batchSummary,
  lockBatch,
  rowOutcomes,
  skipPendingRows,
  updateBatch,
} from '../../db/store/onboarding';
import { recordEvent } from '../events/record-event';

export async function finishOnboardingBatch(
  em: EntityManager,
  input: { key: string; tenantId: string; batchId: string; cancelled: boolean },
): Promise<BatchStatus> {
  return em.transactional(async (tx) => {
    if (input.cancelled) await skipPendingRows(tx, input.batchId);
    const batch = await lockBatch(tx, input.batchId);
    if (!batch) return 'COMPLETED';
    const status = batch.status === 'RUNNING' ? (input.cancelled ? 'CANCELLED' : 'COMPLETED') : batch.status;
    if (batch.completedAt) return status as BatchStatus;
    await updateBatch(tx, batch, { status: status as BatchStatus, completedAt: new Date() });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      action: 'onboarding.batch_finished',
      targetType: 'onboarding_batch',
      targetId: input.batchId,
      data: { key: input.key, status, ...(await rowOutcomes(tx, input.batchId)) },
    });
    if (status === 'COMPLETED') {
      await recordEvent(tx, {
        type: 'onboarding.completed',
        tenantId: input.tenantId,
        workspaceId: await tenantWorkspaceId(tx, input.tenantId),
        data: { ...(await batchSummary(tx, input.tenantId, input.batchId)) },
        key: `onboarding.completed:${input.batchId}`,
      });
    }
    return status as BatchStatus;
  });
}
