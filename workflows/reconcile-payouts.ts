// Scheduled payout reconciliation (Temporal Schedule `payout-reconciliation`): compares the bank's records with
// ours for payouts still PROCESSING past their timeout and for recently closed ones. A verdict the bank has is
// delivered to the running transfer, a contradiction gets its correcting posting (settleLateVerdictWorkflow);
// what it cannot repair is reported in its result and flagged `NeedsAttention = "UNRESOLVED_PAYOUTS"`.
// Nothing to undo: every repair goes through the same idempotent commands as callbacks and inquiries.
import {
  executeChild,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../activities/index';
import { channelResultSignal, transferWorkflowId } from '../domain/transfers/contract';
import {
  lateVerdictWorkflowId,
  type ReconcilePayoutsInput,
  type ReconciliationItem,
  type ReconciliationReport,
} from '../domain/payouts/contract';
import { CHANNEL_INQUIRY, DB_WRITE } from './profiles';
import { settleLateVerdictWorkflow } from './settle-late-verdict';
import { markStatus, raiseAlert } from './status';

const act = proxyActivities<Activities>(DB_WRITE);
const inquiry = proxyActivities<Activities>(CHANNEL_INQUIRY);

export const UNRESOLVED_PAYOUTS_ALERT = 'UNRESOLVED_PAYOUTS';

/** A payout PROCESSING past its timeout: the bank's verdict goes to its workflow; a pending one is reported. */
async function reconcileStuck(key: string, transferId: string): Promise<ReconciliationItem> {
  const answer = await inquiry.inquireChannel({ key: `${key}:inquiry:${transferId}`, transferId });
  if (answer.status === 'PENDING') {
    return { transferId, finding: 'AWAITING_BANK', detail: 'the bank has not decided; its workflow waits' };
  }
  if (answer.status === 'UNKNOWN') {
    return {
      transferId,
      finding: 'UNKNOWN_AT_BANK',
      detail: 'the bank has no record; its workflow recalls it',
    };
  }
  try {
    await getExternalWorkflowHandle(transferWorkflowId(transferId)).signal(channelResultSignal, {
      status: answer.status,
      bankReference: answer.bankReference,
      reason: answer.reason,
    });
  } catch {
    return {
      transferId,
      finding: 'WORKFLOW_MISSING',
      detail: `the bank says ${answer.status}; no workflow runs`,
    };
  }
  return { transferId, finding: 'VERDICT_DELIVERED', detail: `the bank says ${answer.status}` };
}

export async function reconcilePayoutsWorkflow(input: ReconcilePayoutsInput): Promise<ReconciliationReport> {
  const key = workflowInfo().workflowId;
  const { stuck, mismatches } = await act.findPayoutsToReconcile({ key: `${key}:find`, ...input });
  const report: ReconciliationReport = {
    checked: stuck.length + mismatches.length,
    repaired: [],
    unresolved: [],
  };
  for (const transferId of stuck) {
    const item = await reconcileStuck(key, transferId);
    (item.finding === 'VERDICT_DELIVERED' ? report.repaired : report.unresolved).push(item);
  }
  for (const m of mismatches) {
    await act.recordReconciledVerdict({
      key: `${key}:verdict:${m.transferId}`,
      transferId: m.transferId,
      verdict: m.verdict,
      bankReference: m.bankReference,
    });
    try {
      const outcome = await executeChild(settleLateVerdictWorkflow, {
        workflowId: lateVerdictWorkflowId(m.transferId, m.verdict),
        args: [{ transferId: m.transferId, verdict: m.verdict }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      const detail = `${m.transferStatus} but the bank says ${m.bankStatus ?? m.verdict}: ${outcome.kind}`;
      report.repaired.push({ transferId: m.transferId, finding: 'CORRECTED', detail });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      const detail = 'a correction for this verdict is already running';
      report.unresolved.push({ transferId: m.transferId, finding: 'CORRECTION_RUNNING', detail });
    }
  }
  if (report.unresolved.length > 0) raiseAlert(UNRESOLVED_PAYOUTS_ALERT);
  markStatus(report.unresolved.length > 0 ? 'NEEDS_ATTENTION' : 'CLEAN');
  return report;
}
