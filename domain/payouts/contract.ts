// The external payout contract shared by the channel adapter, the workflows, the callback route and the
// reconciliation: what a channel can answer, the workflow IDs and the reconciliation report. No Node built-ins:
// the workflow bundle imports this file.

/** A channel's final verdict on a payout. */
export type PayoutVerdict = 'CONFIRMED' | 'REJECTED';
/** A status inquiry's answer: a verdict, still PENDING at the bank, or UNKNOWN (the bank never got it). */
export type InquiryStatus = PayoutVerdict | 'PENDING' | 'UNKNOWN';
/** A recall's answer: RECALLED (the bank will never pay) or TOO_LATE (it already paid or cannot stop it). */
export type RecallStatus = 'RECALLED' | 'TOO_LATE';
/** Where we learnt a verdict. */
export type VerdictSource = 'CALLBACK' | 'INQUIRY' | 'RECONCILIATION';

export interface PayoutInquiry {
  status: InquiryStatus;
  bankReference: string | null;
  reason: string | null;
}

/** What applying a verdict to a closed transfer did. */
export type LateVerdictOutcome =
  | { kind: 'CONSISTENT' }
  | { kind: 'OPEN' }
  | { kind: 'CORRECTED'; from: 'WALLET' | 'RECEIVABLE' | 'SETTLEMENT'; amount: string };

/** `payout-verdict-<transferId>-<verdict>`: one per transfer and verdict, so a repeated verdict applies once. */
export const lateVerdictWorkflowId = (transferId: string, verdict: PayoutVerdict) =>
  `payout-verdict-${transferId}-${verdict.toLowerCase()}`;

export const PAYOUT_RECONCILIATION_SCHEDULE_ID = 'payout-reconciliation';

export interface ReconcilePayoutsInput {
  /** A PROCESSING payout submitted longer ago than this is checked at the bank (CHANNEL_CONFIRM_TIMEOUT). */
  stuckAfterMs: number;
  /** Voided or completed payouts closed within this window are compared with the bank's records. */
  closedWithinMs: number;
}

export interface ReconciliationItem {
  transferId: string;
  /** What the reconciliation did or found. */
  finding:
    | 'VERDICT_DELIVERED'
    | 'CORRECTED'
    | 'CORRECTION_RUNNING'
    | 'AWAITING_BANK'
    | 'WORKFLOW_MISSING'
    | 'UNKNOWN_AT_BANK'
    | 'CONSISTENT';
  detail: string;
}

export interface ReconciliationReport {
  checked: number;
  repaired: ReconciliationItem[];
  /** Left for an operator (also flagged by the NeedsAttention search attribute). */
  unresolved: ReconciliationItem[];
}
