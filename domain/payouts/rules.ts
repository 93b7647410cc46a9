// Pure payout rules: which verdict contradicts a transfer's final state, and the sandbox bank's callback faults.
import type { PayoutVerdict } from './contract';

export type CallbackFault = 'LOST' | 'DELAYED' | 'DUPLICATED';
const FAULTS: CallbackFault[] = ['LOST', 'DELAYED', 'DUPLICATED'];

/** True when a bank verdict contradicts a closed transfer: paid but released, or refused but posted. */
export function verdictContradicts(finalStatus: string, verdict: PayoutVerdict): boolean {
  if (verdict === 'CONFIRMED') return finalStatus === 'FAILED' || finalStatus === 'CANCELLED';
  return finalStatus === 'COMPLETED';
}

export function isClosedTransfer(status: string): boolean {
  return status === 'COMPLETED' || status === 'FAILED' || status === 'CANCELLED';
}

/** With probability `rate` one of the three faults (equally likely), else none; `random` returns [0, 1). */
export function pickCallbackFault(rate: number, random: () => number): CallbackFault | null {
  if (rate <= 0 || random() >= rate) return null;
  return FAULTS[Math.min(FAULTS.length - 1, Math.floor(random() * FAULTS.length))]!;
}

/** How long a DELAYED callback is held back: past the confirmation timeout, so it arrives late. */
export function delayedCallbackMs(confirmTimeoutMs: number, random: () => number): number {
  return confirmTimeoutMs + Math.floor(random() * Math.max(1_000, confirmTimeoutMs / 2));
}

/** The system account a confirmation after a void is charged to when the wallet cannot cover it. */
export const PAYOUT_RECEIVABLE = 'PAYOUT_RECEIVABLE';

/** The ledger step of a transfer's correcting posting (unique per transfer: applied at most once). */
export const CORRECTION_STEP = 'correction';
