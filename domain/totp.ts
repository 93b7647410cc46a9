// TOTP (otplib v13: SHA1, 6 digits, 30 s), AES-256-GCM encryption of secrets at rest, and recovery codes.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';

export const TOTP_ISSUER = 'Payments Portal';
/** Accept the previous and the next 30 s step too (clock drift, typing time). */
const EPOCH_TOLERANCE_SECONDS = 30;
export const RECOVERY_CODE_COUNT = 10;

export const TOTP_CODE_PATTERN = /^\d{6}$/;
/** 16 base32 characters in groups of four, dashes optional, case-insensitive. */
export const RECOVERY_CODE_PATTERN = /^[A-Za-z2-7]{4}(-?[A-Za-z2-7]{4}){3}$/;

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function otpauthUrl(secret: string, label: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label, secret, algorithm: 'sha1', digits: 6, period: 30 });
}

/**
 * Verifies a 6-digit code; returns its time step when valid and strictly newer than `lastStep`
 * (so a code is accepted once), otherwise null.
 */
export async function verifyTotp(
  secret: string,
  code: string,
  lastStep: number | null,
  epochSeconds = Math.floor(Date.now() / 1000),
): Promise<number | null> {
  if (!TOTP_CODE_PATTERN.test(code)) return null;
  try {
    const result = await verify({
      secret,
      token: code,
      epoch: epochSeconds,
      epochTolerance: EPOCH_TOLERANCE_SECONDS,
      ...(lastStep === null ? {} : { afterTimeStep: lastStep }),
    });
    if (!result.valid || !('timeStep' in result)) return null;
    return lastStep !== null && result.timeStep <= lastStep ? null : result.timeStep;
  } catch {
    return null;
  }
}

function keyFrom(hexKey: string): Buffer {
  const key = Buffer.from(hexKey, 'hex');
  if (key.length !== 32) throw new Error('MFA encryption key must be 32 bytes (64 hex characters)');
  return key;
}

const FORMAT = 'v1';

/** `v1.<base64url(iv | tag | ciphertext)>`, AES-256-GCM with a fresh 12-byte IV. */
export function encryptSecret(secret: string, hexKey: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(hexKey), iv);
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return `${FORMAT}.${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
}

export function decryptSecret(encrypted: string, hexKey: string): string {
  const [format, payload] = encrypted.split('.');
  if (format !== FORMAT || !payload) throw new Error('unknown encrypted secret format');
  const raw = Buffer.from(payload, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', keyFrom(hexKey), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomRecoveryCode(): string {
  const chars = [...randomBytes(16)].map((b) => BASE32[b % 32]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

/** Ten fresh single-use codes such as `K3QF-7ZLA-M2XW-PD5R` (80 bits each). */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, randomRecoveryCode);
}

export function isRecoveryCodeFormat(code: string): boolean {
  return RECOVERY_CODE_PATTERN.test(code);
}

/** The stored form of a recovery code: SHA-256 of its normalised text (upper case, no dashes). */
export function recoveryCodeDigest(code: string): string {
  const normalised = code.replace(/-/g, '').toUpperCase();
  return createHash('sha256').update(`recovery:${normalised}`).digest('hex');
}
