// Pure tenant-level rules of channel products and the fee schedule.
import type { FieldProblem } from '../errors';

/** A product's amount bounds hold when either is open or min <= max. */
export function boundsProblem(minAmount: bigint | null, maxAmount: bigint | null): FieldProblem | null {
  return minAmount !== null && maxAmount !== null && minAmount > maxAmount
    ? { path: 'body.minAmount', message: 'must not exceed maxAmount' }
    : null;
}

/** A bound after a change: undefined keeps the current one, null opens it. */
export function nextBound(current: bigint | null, requested: number | null | undefined): bigint | null {
  if (requested === undefined) return current;
  return requested === null ? null : BigInt(requested);
}

/** Each channel product and currency may appear once in a fee schedule. */
export function hasRepeatedFeeRules(
  rules: readonly { channelProductCode: string; currency: string }[],
): boolean {
  return new Set(rules.map((r) => `${r.channelProductCode}/${r.currency}`)).size !== rules.length;
}

/** The problems of fee rules naming a channel product the tenant does not have. */
export function unknownProductProblems(
  rules: readonly { channelProductCode: string }[],
  known: ReadonlySet<string>,
): { unknown: string[]; problems: FieldProblem[] } {
  const unknown = [...new Set(rules.map((r) => r.channelProductCode))].filter((code) => !known.has(code));
  const problems = rules.flatMap((r, i) =>
    unknown.includes(r.channelProductCode)
      ? [{ path: `body.data.${i}.channelProductCode`, message: 'no such channel product' }]
      : [],
  );
  return { unknown, problems };
}
