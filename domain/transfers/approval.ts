// Pure rules of four-eyes approval: whether an amount reaches its currency's threshold, who may decide a waiting
// transfer, and which threshold lists are valid. No Node built-ins: the transfer workflow imports this file.
import { isKnownCurrency } from '../money';

export interface ApprovalThreshold {
  currency: string;
  /** Minor units. */
  amount: bigint;
}

/** The threshold of `currency`, or null when transfers in it never need approval. */
export function thresholdFor(thresholds: readonly ApprovalThreshold[], currency: string): bigint | null {
  return thresholds.find((t) => t.currency === currency)?.amount ?? null;
}

/** A transfer needs approval when its amount is at or above its currency's threshold. */
export function needsApproval(thresholds: readonly ApprovalThreshold[], currency: string, amount: bigint) {
  const threshold = thresholdFor(thresholds, currency);
  return threshold !== null && amount >= threshold;
}

export type DecisionRefusal = { code: 'APPROVAL_NOT_ALLOWED' | 'CONFLICT'; message: string };

/**
 * Whether `deciderUserId` may decide now: never the initiator (four eyes), and only while the transfer still
 * waits for a decision (a second decision, or one after a cancel request, is a conflict).
 */
export function decisionRefusal(input: {
  initiatorUserId: string | null;
  deciderUserId: string;
  waiting: boolean;
}): DecisionRefusal | null {
  if (input.initiatorUserId !== null && input.initiatorUserId === input.deciderUserId) {
    return { code: 'APPROVAL_NOT_ALLOWED', message: 'the initiator of a transfer cannot decide on it' };
  }
  if (!input.waiting) return { code: 'CONFLICT', message: 'the transfer is no longer waiting for approval' };
  return null;
}

/** Field problems of a threshold list: known currencies, each at most once, positive amounts. */
export function thresholdProblems(
  thresholds: readonly { currency: string; amount: number | bigint }[],
): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  thresholds.forEach((t, i) => {
    if (!isKnownCurrency(t.currency)) {
      problems.push({ path: `body.approvalThresholds.${i}.currency`, message: 'unknown ISO 4217 currency' });
    }
    if (seen.has(t.currency)) {
      problems.push({ path: `body.approvalThresholds.${i}.currency`, message: 'each currency at most once' });
    }
    seen.add(t.currency);
    if (BigInt(t.amount) <= 0n) {
      problems.push({ path: `body.approvalThresholds.${i}.amount`, message: 'must be greater than 0' });
    }
  });
  return problems;
}
