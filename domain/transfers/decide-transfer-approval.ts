// Commands of a transfer waiting for approval, each one transaction under the transfer's row lock with its events
// and audit row: approve (PENDING_APPROVAL -> PROCESSING), reject or expire (the hold is voided, FAILED with
// APPROVAL_REJECTED or APPROVAL_EXPIRED, event transfer.failed). Idempotent: a transfer no longer waiting is left as it is.
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../../db/store/audit';
import { resolveHold } from '../../db/store/ledger';
import { endTransfer, findTransfer, markApproved, recordTransferEvents } from '../../db/store/transfers';
import { HOLD_STEP } from './hold-transfer';
import { recordTransferOutcome } from './record-transfer-outcome';

export type ApprovalEnding =
  | { kind: 'APPROVED'; deciderUserId: string }
  | { kind: 'REJECTED'; deciderUserId: string; reason: string | null }
  | { kind: 'EXPIRED' };

const FAILURE = {
  REJECTED: {
    code: 'APPROVAL_REJECTED',
    message: 'an approver rejected the transfer',
    event: 'APPROVAL_REJECTED',
  },
  EXPIRED: {
    code: 'APPROVAL_EXPIRED',
    message: 'nobody decided on the transfer in time',
    event: 'APPROVAL_EXPIRED',
  },
} as const;

/** Applies the decision (or the expiry); returns false when the transfer was no longer waiting. */
export async function applyApprovalDecision(
  em: EntityManager,
  input: { transferId: string; key: string },
  ending: ApprovalEnding,
): Promise<boolean> {
  return em.fork().transactional(async (tx) => {
    const transfer = await findTransfer(tx, input.transferId, {}, true);
    if (!transfer || transfer.status !== 'PENDING_APPROVAL') return false;
    const actorUserId = ending.kind === 'EXPIRED' ? null : ending.deciderUserId;
    const audit = (action: string, data: Record<string, unknown>) =>
      recordAudit(tx, {
        tenantId: transfer.tenantId,
        workspaceId: transfer.workspaceId,
        actorUserId,
        action,
        targetType: 'transfer',
        targetId: transfer.id,
        data: { key: input.key, ...data },
      });
    if (ending.kind === 'APPROVED') {
      await markApproved(tx, transfer.id);
      await recordTransferEvents(tx, transfer.id, [{ type: 'APPROVED', data: { by: ending.deciderUserId } }]);
      await audit('transfer.approved', {});
      return true;
    }
    const failure = FAILURE[ending.kind];
    await resolveHold(tx, transfer.id, HOLD_STEP, 'VOIDED');
    await endTransfer(tx, transfer.id, {
      status: 'FAILED',
      failureCode: failure.code,
      failureMessage: ending.kind === 'REJECTED' && ending.reason ? ending.reason : failure.message,
    });
    await recordTransferEvents(tx, transfer.id, [
      {
        type: failure.event,
        data: ending.kind === 'REJECTED' ? { by: ending.deciderUserId, reason: ending.reason } : {},
      },
      { type: 'FUNDS_RELEASED' },
      { type: 'FAILED', data: { failureCode: failure.code } },
    ]);
    await recordTransferOutcome(tx, transfer.id);
    await audit(
      ending.kind === 'REJECTED' ? 'transfer.approval_rejected' : 'transfer.approval_expired',
      ending.kind === 'REJECTED' ? { reason: ending.reason } : {},
    );
    return true;
  });
}
