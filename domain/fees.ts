// Transfer fees: fixed + floor(amount * percentBps / 10000), in bigint minor units.

export interface FeeRule {
  fixed: bigint;
  percentBps: number;
}

/** Basis points are whole numbers from 0 to 10000 (100%). */
export function isValidPercentBps(bps: number): boolean {
  return Number.isInteger(bps) && bps >= 0 && bps <= 10_000;
}

/** The fee for `amount` under `rule` (none: zero), debited from the source on top of the amount. */
export function computeFee(amount: bigint, rule: FeeRule | null | undefined): bigint {
  if (amount <= 0n) throw new RangeError('the amount must be positive');
  if (!rule) return 0n;
  if (rule.fixed < 0n || !isValidPercentBps(rule.percentBps)) throw new RangeError('invalid fee rule');
  return rule.fixed + (amount * BigInt(rule.percentBps)) / 10_000n;
}
