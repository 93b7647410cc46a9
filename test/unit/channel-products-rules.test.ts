import { describe, expect, it } from 'vitest';
import {
  boundsProblem,
  hasRepeatedFeeRules,
  nextBound,
  unknownProductProblems,
} from '../../domain/channel-products/rules';
import { isAllowedWebhookUrl, needsNewSecret, signatureHeader, verifySignature } from '../../domain/webhooks';

describe('channel product amount bounds', () => {
  it('holds when a bound is open or min <= max', () => {
    expect(boundsProblem(null, 5n)).toBeNull();
    expect(boundsProblem(5n, null)).toBeNull();
    expect(boundsProblem(5n, 5n)).toBeNull();
    expect(boundsProblem(6n, 5n)).toEqual({ path: 'body.minAmount', message: 'must not exceed maxAmount' });
  });

  it('keeps the current bound when none is given and opens it on null', () => {
    expect(nextBound(7n, undefined)).toBe(7n);
    expect(nextBound(7n, null)).toBeNull();
    expect(nextBound(null, 9)).toBe(9n);
  });
});

describe('fee schedule rules', () => {
  it('allows each product and currency once', () => {
    const a = { channelProductCode: 'INTERNAL', currency: 'USD' };
    expect(hasRepeatedFeeRules([a, { ...a, currency: 'EUR' }])).toBe(false);
    expect(hasRepeatedFeeRules([a, { ...a }])).toBe(true);
  });

  it('names every rule of an unknown product by its position', () => {
    const rules = [
      { channelProductCode: 'INTERNAL' },
      { channelProductCode: 'NOPE' },
      { channelProductCode: 'NOPE' },
    ];
    expect(unknownProductProblems(rules, new Set(['INTERNAL']))).toEqual({
      unknown: ['NOPE'],
      problems: [
        { path: 'body.data.1.channelProductCode', message: 'no such channel product' },
        { path: 'body.data.2.channelProductCode', message: 'no such channel product' },
      ],
    });
  });
});

describe('tenant webhook rules', () => {
  it('takes https, and plain http only where allowed', () => {
    expect(isAllowedWebhookUrl('https://hooks.example.test/x', false)).toBe(true);
    expect(isAllowedWebhookUrl('http://hooks.example.test/x', false)).toBe(false);
    expect(isAllowedWebhookUrl('http://127.0.0.1:9/x', true)).toBe(true);
    expect(isAllowedWebhookUrl('ftp://hooks.example.test/x', true)).toBe(false);
  });

  it('issues a secret for the first URL or on request, never without a URL', () => {
    expect(needsNewSecret('https://h.test', false, false)).toBe(true);
    expect(needsNewSecret('https://h.test', true, false)).toBe(false);
    expect(needsNewSecret('https://h.test', true, true)).toBe(true);
    expect(needsNewSecret(null, false, true)).toBe(false);
  });

  it('signs so that a receiver verifies the body and rejects a changed one', () => {
    const header = signatureHeader('whsec_test', 1_700_000_000, '{"a":1}');
    expect(verifySignature('whsec_test', header, '{"a":1}')).toBe(true);
    expect(verifySignature('whsec_test', header, '{"a":2}')).toBe(false);
    expect(verifySignature('other', header, '{"a":1}')).toBe(false);
  });
});
