// Marks a row FAILED when its provisioning ended without doing so itself (idempotent; finished rows stay).
import type { EntityManager } from '@mikro-orm/postgresql';
import { finishBatchRow } from '../../db/store/onboarding';

export async function failOnboardingRow(
  em: EntityManager,
  input: { batchId: string; rowNumber: number; reason: string },
): Promise<void> {
  await em.transactional((tx) =>
    finishBatchRow(tx, { batchId: input.batchId, rowNumber: input.rowNumber }, 'FAILED', input.reason),
  );
}
