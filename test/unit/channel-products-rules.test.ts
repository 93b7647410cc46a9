import { describe, expect, it } from 'vitest';
import {
  boundsProblem,
  hasRepeatedFeeRules,
  nextBound,
  unknownProductProblems,
} from '../../domain/channel-products/rules';
import { Webhook } from 'standardwebhooks';
import {
  isAllowedWebhookUrl,
  needsNewSecret,
  newWebhookSecret,
  standardWebhookHeaders,
} from '../../domain/webhooks';

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

  it('signs per Standard Webhooks: the standardwebhooks verifier accepts the body and rejects a changed one', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const now = Math.floor(Date.now() / 1000);
    const headers = standardWebhookHeaders(secret, 'evt_1', now, '{"a":1}');
    expect(headers['webhook-id']).toBe('evt_1');
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify('{"a":1}', headers)).toEqual({ a: 1 });
    expect(() => new Webhook(secret).verify('{"a":2}', headers)).toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify('{"a":1}', headers)).toThrow();
  });
});
