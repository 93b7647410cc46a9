// Bulk onboarding bookkeeping: pages of pending rows for the batch workflow, row failures, the batch's end.
import { recordAudit } from '../db/store/audit';
import { inTransaction, type ActivityDeps } from './deps';

export interface OnboardingRowInput {
  name: string;
  adminEmail: string;
  adminName: string;
  currencies: string[];
}

export interface PendingOnboardingRow {
  rowNumber: number;
  input: OnboardingRowInput;
}

export function onboardingActivities(deps: ActivityDeps) {
  return {
    /** Reads the next page of PENDING rows after `afterRowNumber` (read-only; nothing to compensate). */
    async loadPendingOnboardingRows(input: {
      key: string;
      batchId: string;
      afterRowNumber: number;
      limit: number;
    }): Promise<PendingOnboardingRow[]> {
      const rows = await deps.orm.em.fork().execute<{ row_number: number; input: OnboardingRowInput }[]>(
        `select row_number, input from onboarding_batch_row
          where batch_id = ? and status = 'PENDING' and row_number > ?
          order by row_number limit ?`,
        [input.batchId, input.afterRowNumber, input.limit],
      );
      return rows.map((r) => ({ rowNumber: Number(r.row_number), input: r.input }));
    },

    /** Marks a row FAILED when its provisioning ended without doing so itself (idempotent; finished rows stay). */
    async failOnboardingRow(input: { key: string; batchId: string; rowNumber: number; reason: string }) {
      await deps.orm.em.fork().execute(
        `update onboarding_batch_row set status = 'FAILED', error = ?, updated_at = now()
          where batch_id = ? and row_number = ? and status in ('PENDING', 'RUNNING')`,
        [input.reason.slice(0, 1000), input.batchId, input.rowNumber],
      );
    },

    /**
     * Ends the batch: COMPLETED, or CANCELLED when cancelled (rows never started become SKIPPED). Returns the
     * final status. Nothing to compensate.
     */
    async finishOnboardingBatch(input: {
      key: string;
      tenantId: string;
      batchId: string;
      cancelled: boolean;
    }): Promise<string> {
      return inTransaction(deps, async (em) => {
        if (input.cancelled) {
          await em.execute(
            `update onboarding_batch_row set status = 'SKIPPED', error = 'the batch was cancelled', updated_at = now()
              where batch_id = ? and status = 'PENDING'`,
            [input.batchId],
          );
        }
        const [before] = await em.execute<{ completed_at: Date | null }[]>(
          'select completed_at from onboarding_batch where id = ? for update',
          [input.batchId],
        );
        const [batch] = await em.execute<{ status: string }[]>(
          `update onboarding_batch
              set status = case when status = 'RUNNING' then ? else status end,
                  completed_at = coalesce(completed_at, now())
            where id = ? returning status`,
          [input.cancelled ? 'CANCELLED' : 'COMPLETED', input.batchId],
        );
        const status = batch?.status ?? 'COMPLETED';
        if (!before || before.completed_at) return status;
        const [counts] = await em.execute<Record<string, string>[]>(
          `select count(*) filter (where status = 'SUCCEEDED') as succeeded,
                  count(*) filter (where status = 'FAILED') as failed,
                  count(*) filter (where status = 'SKIPPED') as skipped
             from onboarding_batch_row where batch_id = ?`,
          [input.batchId],
        );
        await recordAudit(em, {
          tenantId: input.tenantId,
          action: 'onboarding.batch_finished',
          targetType: 'onboarding_batch',
          targetId: input.batchId,
          data: {
            key: input.key,
            status,
            succeeded: Number(counts?.succeeded ?? 0),
            failed: Number(counts?.failed ?? 0),
            skipped: Number(counts?.skipped ?? 0),
          },
        });
        return status;
      });
    },
  };
}
