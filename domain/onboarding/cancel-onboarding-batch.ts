// Cancels a RUNNING batch: rows not yet started become SKIPPED (rows in progress finish). Returns whether the
// batch changed now (the caller then tells the workflow); cancelling twice is a no-op, a finished batch CONFLICT.
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditBy, type Actor } from '../identity/actor';
import { AppError, notFound } from '../errors';
import { recordAudit } from '../../db/store/audit';
import { lockBatch, skipPendingRows, updateBatch } from '../../db/store/onboarding';

export async function cancelOnboardingBatch(
  em: EntityManager,
  input: { tenantId: string; batchId: string },
  actor: Actor,
): Promise<boolean> {
  return em.transactional(async (tx) => {
    const batch = await lockBatch(tx, input.batchId, input.tenantId);
    if (!batch) throw notFound('onboarding batch');
    if (batch.status === 'CANCELLED') return false;
    if (batch.status !== 'RUNNING') throw new AppError('CONFLICT', 'the batch has already completed');
    await updateBatch(tx, batch, { status: 'CANCELLED' });
    const skipped = await skipPendingRows(tx, input.batchId);
    await recordAudit(
      tx,
      auditBy(
        actor,
        'onboarding.batch_cancelled',
        { type: 'onboarding_batch', id: input.batchId },
        { skipped },
      ),
    );
    return true;
  });
}
