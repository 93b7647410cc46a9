// Activities of the transfer saga, thin adapters around the transfers commands: hold (validate + fee + hold in
// one transaction), post, release (void), cancel request.
import { ApplicationFailure } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/postgresql';
import { LedgerStateError, resolveHold } from '../db/store/ledger';
import {
  completeTransfer,
  endTransfer,
  findTransfer,
  recordTransferEvents,
  type TransferEventInput,
} from '../db/store/transfers';
import { listApprovers } from '../db/store/transfer-security';
import { findWorkspace } from '../db/store/workspaces';
import { formatMinor } from '../domain/money';
import { applyApprovalDecision, type ApprovalEnding } from '../domain/transfers/decide-transfer-approval';
import { HOLD_STEP, holdTransfer, type HoldInput, type HoldResult } from '../domain/transfers/hold-transfer';
import { recordTransferOutcome } from '../domain/transfers/record-transfer-outcome';
import { requestTransferCancel } from '../domain/transfers/request-transfer-cancel';
import { inTransaction, type ActivityDeps } from './deps';
import { deliverMail, linkMessage } from './email';
import { refusalsFinal } from './refusal';

/** Resolves the transfer's hold; a contradicting resolution (POSTED vs VOIDED) is final, not retried. */
async function resolveTransferHold(em: EntityManager, transferId: string, resolution: 'POSTED' | 'VOIDED') {
  try {
    await resolveHold(em, transferId, HOLD_STEP, resolution);
  } catch (err) {
    if (err instanceof LedgerStateError) throw ApplicationFailure.nonRetryable(err.message, 'LEDGER_STATE');
    throw err;
  }
}

export function transferActivities(deps: ActivityDeps) {
  return {
    /**
     * Validates a transfer, computes its fee and holds amount + fee (PENDING) in ONE transaction that also
     * creates the transfer row: a refusal (non-retryable, with its code) writes nothing. Idempotent by transfer ID.
     * Undone by releaseTransfer.
     */
    async holdTransferFunds(input: HoldInput): Promise<HoldResult> {
      return refusalsFinal(() => holdTransfer(deps.orm.em, input));
    },

    /** Posts the hold: the destination and fee revenue are credited, the transfer is COMPLETED. Idempotent. */
    async postTransfer(input: {
      key: string;
      transferId: string;
      events?: TransferEventInput[];
    }): Promise<void> {
      await inTransaction(deps, async (em) => {
        await resolveTransferHold(em, input.transferId, 'POSTED');
        await completeTransfer(em, input.transferId);
        await recordTransferEvents(em, input.transferId, [...(input.events ?? []), { type: 'COMPLETED' }]);
        await recordTransferOutcome(em, input.transferId);
      });
    },

    /**
     * Compensation of holdTransferFunds: voids the hold (available again) and ends the transfer FAILED or
     * CANCELLED with its code. Idempotent.
     */
    async releaseTransfer(input: {
      key: string;
      transferId: string;
      status: 'FAILED' | 'CANCELLED';
      failureCode: string | null;
      failureMessage: string | null;
      events?: TransferEventInput[];
    }): Promise<void> {
      await inTransaction(deps, async (em) => {
        const transfer = await findTransfer(em, input.transferId);
        if (!transfer) return;
        await resolveTransferHold(em, input.transferId, 'VOIDED');
        await endTransfer(em, input.transferId, {
          status: input.status,
          failureCode: input.failureCode,
          failureMessage: input.failureMessage,
        });
        await recordTransferEvents(em, input.transferId, [
          ...(input.events ?? []),
          { type: 'FUNDS_RELEASED' },
          { type: input.status, data: input.failureCode ? { failureCode: input.failureCode } : {} },
        ]);
        await recordTransferOutcome(em, input.transferId);
      });
    },

    /**
     * Marks a transfer as cancel-requested if it has not been submitted to a channel yet (decided under the
     * transfer's row lock, so a concurrent submission and a cancel can never both win).
     */
    async requestTransferCancel(input: {
      key: string;
      transferId: string;
      actorUserId: string | null;
    }): Promise<void> {
      await refusalsFinal(() =>
        requestTransferCancel(
          deps.orm.em,
          { key: input.key, transferId: input.transferId },
          input.actorUserId,
        ),
      );
    },

    /**
     * Applies an approver's decision or the approval's expiry to a transfer waiting PENDING_APPROVAL: approved,
     * it is PROCESSING again; rejected or expired, its hold is voided (the compensation of holdTransferFunds) and
     * it ends FAILED. Idempotent (a transfer no longer waiting is left alone).
     */
    async applyTransferApproval(input: {
      key: string;
      transferId: string;
      ending: ApprovalEnding;
    }): Promise<boolean> {
      try {
        return await applyApprovalDecision(deps.orm.em, input, input.ending);
      } catch (err) {
        if (err instanceof LedgerStateError)
          throw ApplicationFailure.nonRetryable(err.message, 'LEDGER_STATE');
        throw err;
      }
    },

    /**
     * Mails every approver of the transfer's workspace (members holding payout.approve, the initiator excepted)
     * that it waits for a decision; one message per approver and key. Nothing to compensate.
     */
    async notifyApprovers(input: { key: string; transferId: string }): Promise<number> {
      const em = deps.orm.em.fork();
      const transfer = await findTransfer(em, input.transferId);
      if (!transfer) return 0;
      const workspace = await findWorkspace(em, transfer.workspaceId);
      const approvers = await listApprovers(em, transfer.workspaceId, transfer.createdBy);
      const amount = formatMinor(transfer.amount, transfer.currency);
      const url = new URL(`/transfers/${transfer.id}`, deps.config.PORTAL_URL).toString();
      for (const approver of approvers) {
        await deliverMail(
          deps,
          linkMessage(
            `${input.key}:${approver.userId}`,
            approver.email,
            `A transfer of ${amount} waits for your approval`,
            [
              `A transfer of ${amount} in ${workspace?.name ?? 'your workspace'} reached the approval threshold.`,
              'It is held until a second member approves or rejects it.',
            ],
            { label: 'Review the transfer', url },
          ),
        );
      }
      return approvers.length;
    },
  };
}
