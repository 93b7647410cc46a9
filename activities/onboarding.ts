// Bulk onboarding bookkeeping for the batch workflow: thin adapters around the onboarding commands and store.
import type { PendingOnboardingRow } from '../domain/onboarding/contract';
import { failOnboardingRow } from '../domain/onboarding/fail-onboarding-row';
import { finishOnboardingBatch } from '../domain/onboarding/finish-onboarding-batch';
import { settleUnstoredBatch } from '../domain/onboarding/settle-unstored-batch';
import { pendingRows } from '../db/store/onboarding';
import type { ActivityDeps } from './deps';

export function onboardingActivities(deps: ActivityDeps) {
  const em = () => deps.orm.em.fork();
  return {
    /** Reads the next page of PENDING rows after `afterRowNumber` (read-only; nothing to compensate). */
    async loadPendingOnboardingRows(input: {
      key: string;
      batchId: string;
      afterRowNumber: number;
      limit: number;
    }): Promise<PendingOnboardingRow[]> {
      return pendingRows(em(), input.batchId, input.afterRowNumber, input.limit);
    },

    /**
     * The batch never reported stored: runs it when its rows exist, else writes it CANCELLED with no rows so it can
     * never be stored RUNNING later. Nothing to compensate.
     */
    async settleUnstoredBatch(input: {
      key: string;
      batchId: string;
      tenantId: string;
      workspaceId: string;
      actorUserId: string | null;
    }): Promise<'STORED' | 'ABANDONED'> {
      return settleUnstoredBatch(em(), { ...input, createdBy: input.actorUserId });
    },

    /** Marks a row FAILED when its provisioning ended without doing so itself (idempotent; finished rows stay). */
    async failOnboardingRow(input: { key: string; batchId: string; rowNumber: number; reason: string }) {
      await failOnboardingRow(em(), input);
    },

    /** Ends the batch: COMPLETED, or CANCELLED (rows never started become SKIPPED). Nothing to compensate. */
    async finishOnboardingBatch(input: {
      key: string;
      tenantId: string;
      batchId: string;
      cancelled: boolean;
    }): Promise<string> {
      return finishOnboardingBatch(em(), input);
    },
  };
}
