import { describe, expect, it } from 'vitest';
import {
  delayedCallbackMs,
  isClosedTransfer,
  pickCallbackFault,
  verdictContradicts,
} from '../../domain/payouts/rules';

describe('verdictContradicts', () => {
  it('a confirmation contradicts a released transfer, a rejection a completed one', () => {
    expect(verdictContradicts('FAILED', 'CONFIRMED')).toBe(true);
    expect(verdictContradicts('CANCELLED', 'CONFIRMED')).toBe(true);
    expect(verdictContradicts('COMPLETED', 'REJECTED')).toBe(true);
  });

  it('agreeing verdicts and open transfers contradict nothing', () => {
    expect(verdictContradicts('COMPLETED', 'CONFIRMED')).toBe(false);
    expect(verdictContradicts('FAILED', 'REJECTED')).toBe(false);
    expect(verdictContradicts('PROCESSING', 'CONFIRMED')).toBe(false);
    expect(verdictContradicts('PROCESSING', 'REJECTED')).toBe(false);
  });

  it('knows which statuses are closed', () => {
    expect(['PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED'].filter(isClosedTransfer)).toEqual([
      'COMPLETED',
      'FAILED',
      'CANCELLED',
    ]);
  });
});

describe('pickCallbackFault', () => {
  const sequence =
    (...values: number[]) =>
    () =>
      values.shift()!;

  it('never injects a fault at rate 0 and always at rate 1', () => {
    expect(pickCallbackFault(0, sequence(0))).toBeNull();
    expect(pickCallbackFault(1, sequence(0.99, 0))).toBe('LOST');
  });

  it('injects below the rate only, each of the three faults by the second draw', () => {
    expect(pickCallbackFault(0.3, sequence(0.3))).toBeNull();
    expect(pickCallbackFault(0.3, sequence(0.29, 0.0))).toBe('LOST');
    expect(pickCallbackFault(0.3, sequence(0.1, 0.5))).toBe('DELAYED');
    expect(pickCallbackFault(0.3, sequence(0.1, 0.99))).toBe('DUPLICATED');
  });

  it('delays a DELAYED callback past the confirmation timeout', () => {
    expect(delayedCallbackMs(10_000, () => 0)).toBe(10_000);
    expect(delayedCallbackMs(10_000, () => 0.999)).toBeLessThan(15_000);
    expect(delayedCallbackMs(10_000, () => 0.999)).toBeGreaterThan(10_000);
  });
});
