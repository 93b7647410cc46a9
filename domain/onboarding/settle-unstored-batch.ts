// The start policy's safety net: a batch workflow that never heard its rows were stored asks here. When the
// batch exists (the API crashed after committing) it runs; when it does not, the batch is written CANCELLED with
// no rows, so the API's late commit fails on the primary key and nothing can ever wait RUNNING.
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../../db/store/audit';
import { settleBatch } from '../../db/store/onboarding';

export async function settleUnstoredBatch(
  em: EntityManager,
  input: { key: string; batchId: string; tenantId: string; workspaceId: string; createdBy: string | null },
): Promise<'STORED' | 'ABANDONED'> {
  return em.transactional(async (tx) => {
    const outcome = await settleBatch(tx, {
      id: input.batchId,
      tenantId: input.tenantId,
      workspaceId: input.workspaceId,
      createdBy: input.createdBy,
    });
    if (outcome === 'EXISTS') return 'STORED';
    await recordAudit(tx, {
      tenantId: input.tenantId,
      action: 'onboarding.batch_abandoned',
      targetType: 'onboarding_batch',
      targetId: input.batchId,
      data: { key: input.key, reason: 'the batch rows were never stored' },
    });
    return 'ABANDONED';
  });
}
