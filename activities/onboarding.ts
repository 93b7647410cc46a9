// Bulk onboarding for the batch workflow: the chunk of rows provisioned in one activity, and the bookkeeping
// (thin adapters around the onboarding commands and store).
import { heartbeat } from '@temporalio/activity';
import { AppError } from '../domain/errors';
import { invitationWorkflowId } from '../domain/identity/invitation-contract';
import type { PendingOnboardingRow } from '../domain/onboarding/contract';
import { failOnboardingRow } from '../domain/onboarding/fail-onboarding-row';
import { finishOnboardingBatch } from '../domain/onboarding/finish-onboarding-batch';
import {
  provisionOnboardingRow,
  type OnboardingRowRequest,
} from '../domain/onboarding/provision-onboarding-row';
import type { RowIds } from '../domain/onboarding/row-ids';
import { settleUnstoredBatch } from '../domain/onboarding/settle-unstored-batch';
import { settleOwnerProvisioning } from '../domain/tenancy/settle-owner-provisioning';
import { startWorkflow } from '../domain/workflow-start';
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
     * Provisions a chunk of rows: each row's partner in one transaction (one row after the other, so a cancel
     * skips the rows not reached), then the provisioned rows' invitation workflows started together, then each
     * partner ACTIVE with its row SUCCEEDED. A refused row (e.g. its email was taken meanwhile) is rolled back
     * whole and FAILED with the reason; a skipped or finished row is left as it is. Idempotent: a retry redoes
     * only what is unfinished, with the same IDs (from batch and row). Returns the rows it provisioned.
     */
    async provisionOnboardingRows(
      input: Omit<OnboardingRowRequest, 'row'> & { rows: PendingOnboardingRow[] },
    ): Promise<number> {
      const { rows, ...batch } = input;
      const provisioned: { rowNumber: number; ids: RowIds }[] = [];
      for (const row of rows) {
        heartbeat(row.rowNumber);
        try {
          provisioned.push({
            rowNumber: row.rowNumber,
            ids: await provisionOnboardingRow(em(), { ...batch, row }),
          });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          await failOnboardingRow(em(), {
            batchId: batch.batchId,
            rowNumber: row.rowNumber,
            reason: err.message,
          });
        }
      }
      const starter = { temporal: deps.temporal!, taskQueue: deps.config.TEMPORAL_TASK_QUEUE };
      await Promise.all(
        provisioned.map(({ ids }) =>
          startWorkflow(starter, {
            workflowType: 'invitationWorkflow',
            workflowId: invitationWorkflowId(ids.invitationId),
            args: [
              {
                invitationId: ids.invitationId,
                tenantId: batch.tenantId,
                workspaceId: ids.workspaceId,
                ttlMs: batch.invitationTtlMs,
              },
            ],
            searchScope: { tenantId: batch.tenantId, workspaceId: ids.workspaceId },
          }),
        ),
      );
      for (const { rowNumber, ids } of provisioned) {
        heartbeat(rowNumber);
        await settleOwnerProvisioning(em(), {
          key: `${batch.key}:row-${rowNumber}:activate`,
          kind: 'partner',
          tenantId: batch.tenantId,
          ownerId: ids.partnerId,
          batchRow: { batchId: batch.batchId, rowNumber },
        });
      }
      return provisioned.length;
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
