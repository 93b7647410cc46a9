import { describe, expect, it } from 'vitest';
import {
  decisionRefusal,
  needsApproval,
  thresholdFor,
  thresholdProblems,
} from '../../domain/transfers/approval';
import { canCancel } from '../../domain/transfers/cancel';

const thresholds = [
  { currency: 'USD', amount: 100_000n },
  { currency: 'EUR', amount: 50_000n },
];

describe('approval thresholds', () => {
  it('matches the currency and applies at or above its threshold', () => {
    expect(thresholdFor(thresholds, 'USD')).toBe(100_000n);
    expect(thresholdFor(thresholds, 'GBP')).toBeNull();
    expect(needsApproval(thresholds, 'USD', 99_999n)).toBe(false);
    expect(needsApproval(thresholds, 'USD', 100_000n)).toBe(true);
    expect(needsApproval(thresholds, 'USD', 100_001n)).toBe(true);
    expect(needsApproval(thresholds, 'EUR', 50_000n)).toBe(true);
    expect(needsApproval(thresholds, 'GBP', 10n ** 15n)).toBe(false);
    expect(needsApproval([], 'USD', 10n ** 15n)).toBe(false);
  });

  it('validates a list: known currencies, each once, positive amounts', () => {
    expect(thresholdProblems([{ currency: 'USD', amount: 1 }])).toEqual([]);
    expect(thresholdProblems([])).toEqual([]);
    expect(
      thresholdProblems([
        { currency: 'USD', amount: 1 },
        { currency: 'USD', amount: 2 },
      ]).map((p) => p.path),
    ).toEqual(['body.approvalThresholds.1.currency']);
    expect(thresholdProblems([{ currency: 'XXX', amount: 1 }]).map((p) => p.path)).toEqual([
      'body.approvalThresholds.0.currency',
    ]);
    expect(thresholdProblems([{ currency: 'EUR', amount: 0 }]).map((p) => p.path)).toEqual([
      'body.approvalThresholds.0.amount',
    ]);
    expect(thresholdProblems([{ currency: 'EUR', amount: -5n }])).toHaveLength(1);
  });
});

describe('who may decide', () => {
  it('never the initiator; only while waiting', () => {
    expect(decisionRefusal({ initiatorUserId: 'a', deciderUserId: 'b', waiting: true })).toBeNull();
    expect(decisionRefusal({ initiatorUserId: 'a', deciderUserId: 'a', waiting: true })?.code).toBe(
      'APPROVAL_NOT_ALLOWED',
    );
    expect(decisionRefusal({ initiatorUserId: 'a', deciderUserId: 'a', waiting: false })?.code).toBe(
      'APPROVAL_NOT_ALLOWED',
    );
    expect(decisionRefusal({ initiatorUserId: 'a', deciderUserId: 'b', waiting: false })?.code).toBe(
      'CONFLICT',
    );
    expect(decisionRefusal({ initiatorUserId: null, deciderUserId: 'b', waiting: true })).toBeNull();
  });

  it('a transfer waiting for approval can be cancelled, even an INTERNAL one (submitted at once)', () => {
    expect(canCancel({ status: 'PENDING_APPROVAL', submittedAt: new Date() })).toEqual({ ok: true });
    expect(canCancel({ status: 'PROCESSING', submittedAt: new Date() }).ok).toBe(false);
  });
});
