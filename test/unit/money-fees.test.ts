import { describe, expect, it } from 'vitest';
import { computeFee, isValidPercentBps } from '../../domain/fees';
import { deterministicUuid, requestFingerprint } from '../../domain/ledger';
import { transferIdFor } from '../../domain/transfers';
import { formatMinor, isKnownCurrency, minorUnits, toApiAmount, toMinor } from '../../domain/money';
import { sandboxOutcomeFor, signCallback, verifyCallback } from '../../domain/channels';

describe('money', () => {
  it('knows minor units and formats without floats', () => {
    expect(minorUnits('USD')).toBe(2);
    expect(minorUnits('JPY')).toBe(0);
    expect(minorUnits('KWD')).toBe(3);
    expect(isKnownCurrency('XYZ')).toBe(false);
    expect(formatMinor(1234n, 'USD')).toBe('12.34 USD');
    expect(formatMinor(5n, 'KWD')).toBe('0.005 KWD');
    expect(formatMinor(-1234n, 'JPY')).toBe('-1234 JPY');
  });

  it('converts only exact integers and refuses what JSON cannot carry', () => {
    expect(toMinor('9007199254740993')).toBe(9007199254740993n);
    expect(() => toMinor(1.5)).toThrow();
    expect(() => toMinor('12.5')).toThrow();
    expect(toApiAmount(9007199254740991n)).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toApiAmount(9007199254740992n)).toThrow();
  });
});

describe('fees', () => {
  it('is fixed + floor(amount * bps / 10000) in bigint', () => {
    expect(computeFee(2_000n, { fixed: 25n, percentBps: 150 })).toBe(55n);
    expect(computeFee(1n, { fixed: 0n, percentBps: 9_999 })).toBe(0n);
    expect(computeFee(9_007_199_254_740_991n, { fixed: 0n, percentBps: 10_000 })).toBe(
      9_007_199_254_740_991n,
    );
    expect(computeFee(100n, null)).toBe(0n);
    expect(() => computeFee(0n, null)).toThrow();
    expect(() => computeFee(10n, { fixed: 0n, percentBps: 10_001 })).toThrow();
    expect(isValidPercentBps(1.5)).toBe(false);
  });
});

describe('ids, fingerprints and callback signatures', () => {
  it('derives the same transfer ID for the same workspace and key only', () => {
    expect(transferIdFor('ws-1', 'k')).toBe(transferIdFor('ws-1', 'k'));
    expect(transferIdFor('ws-1', 'k')).not.toBe(transferIdFor('ws-2', 'k'));
    expect(deterministicUuid('a')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(requestFingerprint({ a: 1, b: { c: 2, d: 3 } })).toBe(
      requestFingerprint({ b: { d: 3, c: 2 }, a: 1 }),
    );
    expect(requestFingerprint({ a: 1 })).not.toBe(requestFingerprint({ a: 2 }));
  });

  it('verifies HMAC signatures within the tolerance only', () => {
    const sig = signCallback('secret-secret-secret', '{"x":1}', 1_000);
    expect(verifyCallback('secret-secret-secret', '{"x":1}', sig, 1_100)).toBe(true);
    expect(verifyCallback('secret-secret-secret', '{"x":2}', sig, 1_100)).toBe(false);
    expect(verifyCallback('other-secret-secret', '{"x":1}', sig, 1_100)).toBe(false);
    expect(verifyCallback('secret-secret-secret', '{"x":1}', sig, 2_000)).toBe(false);
    expect(verifyCallback('secret-secret-secret', '{"x":1}', 'garbage', 1_000)).toBe(false);
    expect(sandboxOutcomeFor('000123')).toBe('REJECTED');
    expect(sandboxOutcomeFor('999123')).toBe('NEVER');
    expect(sandboxOutcomeFor('123000')).toBe('CONFIRMED');
  });
});
