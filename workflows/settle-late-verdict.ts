// A bank verdict that reached a closed transfer (ID payout-verdict-<transferId>-<verdict>): applies it once; one
// that contradicts the final state gets a correcting posting and raises the operator alert
// `NeedsAttention = "CONTRADICTING_VERDICT"`. Nothing to undo: the correction is the compensation.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index';
import type { LateVerdictOutcome, PayoutVerdict } from '../domain/payouts/contract';
import { COMPENSATION } from './profiles';
import { markStatus, raiseAlert } from './status';

const settle = proxyActivities<Activities>(COMPENSATION);

export const CONTRADICTING_VERDICT_ALERT = 'CONTRADICTING_VERDICT';

export async function settleLateVerdictWorkflow(input: {
  transferId: string;
  verdict: PayoutVerdict;
}): Promise<LateVerdictOutcome> {
  const outcome = await settle.applyLateVerdict({ key: workflowInfo().workflowId, ...input });
  if (outcome.kind === 'CORRECTED') raiseAlert(CONTRADICTING_VERDICT_ALERT);
  markStatus(outcome.kind);
  return outcome;
}
