// Referral code format and generation: codes are compared case-insensitively and stored upper-case.
import { randomInt } from 'node:crypto';
import { z } from 'zod';

/** Letters and digits without the look-alikes 0/O, 1/I/L, so a code read aloud or typed is unambiguous. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const GENERATED_CODE_LENGTH = 8;

const FORMAT = /^[A-Za-z0-9](?:[A-Za-z0-9-]{2,30})[A-Za-z0-9]$/;

/** 4 to 32 characters: letters, digits and inner hyphens. */
export const ReferralCodeSchema = z
  .string()
  .trim()
  .regex(FORMAT, 'expected 4-32 letters, digits or inner hyphens')
  .transform(normalizeReferralCode);

export function normalizeReferralCode(code: string): string {
  return code.trim().toUpperCase();
}

export function isReferralCodeFormat(code: string): boolean {
  return FORMAT.test(code.trim());
}

/** A fresh random code (31^8, about 8.5e11 values); uniqueness is enforced by the database. */
export function generateReferralCode(): string {
  let code = '';
  for (let i = 0; i < GENERATED_CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}
