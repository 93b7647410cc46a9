// Pure referral-code rules (format and generation live in domain/referral-codes.ts).
import { normalizeReferralCode } from '../referral-codes';

/** Whether changing `current` to `requested` changes the code (codes compare case-insensitively). */
export function isCodeChange(current: string, requested: string | undefined): requested is string {
  return requested !== undefined && normalizeReferralCode(requested) !== normalizeReferralCode(current);
}

/** The refusal when a partner already holds another code (one code per partner), else null. */
export function oneCodePerPartner(heldCode: string | null): string | null {
  return heldCode ? `the partner already holds the referral code ${heldCode}` : null;
}
