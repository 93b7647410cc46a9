// Activities of payout safety: apply a verdict that arrived after its transfer closed (correcting posting when it
// contradicts), store a verdict found by reconciliation, and list what the reconciliation must look at.
import { ApplicationFailure } from '@temporalio/activity';
import { applyLateVerdict, TransferNotFoundError } from '../domain/payouts/apply-late-verdict';
import type { LateVerdictOutcome, PayoutVerdict, ReconcilePayoutsInput } from '../domain/payouts/contract';
import { recordChannelVerdict } from '../domain/payouts/record-verdict';
import { listPayoutMismatches, listStuckPayouts, type PayoutMismatch } from '../db/store/payouts';
import type { ActivityDeps } from './deps';

/** How many transfers one reconciliation run looks at per kind (the next run takes the rest). */
export const RECONCILIATION_BATCH = 200;

export function payoutActivities(deps: ActivityDeps) {
  return {
    /**
     * Applies a verdict to its closed transfer: nothing when consistent; when contradicting, one correcting
     * posting, an event and an audit row (idempotent: the posting is unique per transfer). Nothing to undo:
     * the correction is itself the compensation of an earlier wrong decision.
     */
    async applyLateVerdict(input: {
      key: string;
      transferId: string;
      verdict: PayoutVerdict;
    }): Promise<LateVerdictOutcome> {
      try {
        return await applyLateVerdict(deps.orm.em.fork(), input);
      } catch (err) {
        if (err instanceof TransferNotFoundError)
          throw ApplicationFailure.nonRetryable(err.message, 'NOT_FOUND');
        throw err;
      }
    },

    /** Stores a verdict the reconciliation learnt from the bank's records (idempotent). Nothing to undo. */
    async recordReconciledVerdict(input: {
      key: string;
      transferId: string;
      verdict: PayoutVerdict;
      bankReference: string | null;
    }): Promise<void> {
      await recordChannelVerdict(deps.orm.em.fork(), {
        transferId: input.transferId,
        verdict: input.verdict,
        source: 'RECONCILIATION',
        bankReference: input.bankReference,
        reason: null,
      });
    },

    /** Read-only: payouts PROCESSING past their timeout, and closed payouts the bank's records contradict. */
    async findPayoutsToReconcile(
      input: ReconcilePayoutsInput & { key: string },
    ): Promise<{ stuck: string[]; mismatches: PayoutMismatch[] }> {
      const em = deps.orm.em.fork();
      const now = Date.now();
      return {
        stuck: await listStuckPayouts(em, new Date(now - input.stuckAfterMs), RECONCILIATION_BATCH),
        mismatches: await listPayoutMismatches(
          em,
          new Date(now - input.closedWithinMs),
          RECONCILIATION_BATCH,
        ),
      };
    },
  };
}
