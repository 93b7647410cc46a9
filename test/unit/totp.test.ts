import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_BACKOFF, backoffDelayMs, IP_BACKOFF } from '../../domain/identity/throttle';
import {
  decryptSecret,
  encryptSecret,
  isRecoveryCodeFormat,
  newRecoveryCodes,
  newTotpSecret,
  otpauthUrl,
  recoveryCodeDigest,
  verifyTotp,
} from '../../domain/totp';

const KEY = 'ab'.repeat(32);
const EPOCH = 1_800_000_000;
const STEP = EPOCH / 30;

describe('TOTP', () => {
  it('accepts a code of the current, previous or next step and returns that step', async () => {
    const secret = newTotpSecret();
    for (const offset of [-1, 0, 1]) {
      const code = await generate({ secret, epoch: EPOCH + offset * 30 });
      expect(await verifyTotp(secret, code, null, EPOCH)).toBe(STEP + offset);
    }
    const old = await generate({ secret, epoch: EPOCH - 90 });
    expect(await verifyTotp(secret, old, null, EPOCH)).toBeNull();
  });

  it('refuses a step at or before the last accepted one (replay)', async () => {
    const secret = newTotpSecret();
    const code = await generate({ secret, epoch: EPOCH });
    expect(await verifyTotp(secret, code, STEP, EPOCH)).toBeNull();
    expect(await verifyTotp(secret, code, STEP - 1, EPOCH)).toBe(STEP);
  });

  it('refuses malformed codes without throwing', async () => {
    const secret = newTotpSecret();
    for (const code of ['', '12345', '1234567', 'abcdef', ' 123456']) {
      expect(await verifyTotp(secret, code, null, EPOCH)).toBeNull();
    }
  });

  it('builds an otpauth URL with the base32 secret', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(otpauthUrl(secret, 'ada@example.test'));
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(url.searchParams.get('secret')).toBe(secret);
    expect(url.searchParams.get('issuer')).toBe('Payments Portal');
  });
});

describe('secret encryption', () => {
  it('round-trips with a fresh IV and never contains the secret', () => {
    const secret = newTotpSecret();
    const a = encryptSecret(secret, KEY);
    const b = encryptSecret(secret, KEY);
    expect(a).not.toBe(b);
    expect(a).not.toContain(secret);
    expect(a.length).toBeLessThanOrEqual(255);
    expect(decryptSecret(a, KEY)).toBe(secret);
  });

  it('fails on a wrong key or a tampered value', () => {
    const enc = encryptSecret(newTotpSecret(), KEY);
    expect(() => decryptSecret(enc, 'cd'.repeat(32))).toThrow();
    const tampered = `${enc.slice(0, -2)}${enc.endsWith('A') ? 'B' : 'A'}${enc.slice(-1)}`;
    expect(() => decryptSecret(tampered, KEY)).toThrow();
    expect(() => decryptSecret('v0.abc', KEY)).toThrow();
  });
});

describe('recovery codes', () => {
  it('are ten distinct codes whose digest ignores case and dashes', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$/);
      expect(isRecoveryCodeFormat(code)).toBe(true);
      expect(recoveryCodeDigest(code.toLowerCase().replace(/-/g, ''))).toBe(recoveryCodeDigest(code));
      expect(recoveryCodeDigest(code)).not.toContain(code.replace(/-/g, ''));
    }
    expect(isRecoveryCodeFormat('123456')).toBe(false);
  });
});

describe('throttle back-off', () => {
  it('starts at the threshold, doubles, and is capped', () => {
    expect(backoffDelayMs(ACCOUNT_BACKOFF, 4)).toBe(0);
    expect(backoffDelayMs(ACCOUNT_BACKOFF, 5)).toBe(15_000);
    expect(backoffDelayMs(ACCOUNT_BACKOFF, 6)).toBe(30_000);
    expect(backoffDelayMs(ACCOUNT_BACKOFF, 50)).toBe(60_000);
    expect(backoffDelayMs(IP_BACKOFF, 19)).toBe(0);
    expect(backoffDelayMs(IP_BACKOFF, 20)).toBe(30_000);
    expect(backoffDelayMs(IP_BACKOFF, 1000)).toBe(15 * 60_000);
  });
});
