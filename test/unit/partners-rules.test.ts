import { describe, expect, it } from 'vitest';
import { nextPartnerStatus } from '../../domain/partners/rules';
import {
  generateReferralCode,
  GENERATED_CODE_LENGTH,
  isReferralCodeFormat,
  normalizeReferralCode,
  ReferralCodeSchema,
} from '../../domain/referral-codes';
import { isCodeChange, oneCodePerPartner } from '../../domain/referrals/rules';

describe('partner status changes', () => {
  it('suspends only an ACTIVE partner with a workspace and reactivates only a SUSPENDED one', () => {
    expect(nextPartnerStatus('ACTIVE', true, 'suspend')).toEqual({ to: 'SUSPENDED' });
    expect(nextPartnerStatus('SUSPENDED', true, 'reactivate')).toEqual({ to: 'ACTIVE' });
  });

  it('treats a repeated change as a no-op', () => {
    expect(nextPartnerStatus('SUSPENDED', true, 'suspend')).toEqual({});
    expect(nextPartnerStatus('ACTIVE', true, 'reactivate')).toEqual({});
  });

  it('refuses partners that are not live, naming the state', () => {
    expect(nextPartnerStatus('PROVISIONING', false, 'suspend').refusal).toBe(
      'a PROVISIONING partner cannot be suspended',
    );
    expect(nextPartnerStatus('FAILED', false, 'reactivate').refusal).toBe(
      'a FAILED partner cannot be reactivated',
    );
    expect(nextPartnerStatus('ACTIVE', false, 'suspend').refusal).toBeDefined();
  });
});

describe('referral codes', () => {
  it('accepts 4 to 32 letters, digits and inner hyphens, stored upper-case', () => {
    expect(ReferralCodeSchema.parse(' launch-2026 ')).toBe('LAUNCH-2026');
    expect(isReferralCodeFormat('ab1d')).toBe(true);
    expect(isReferralCodeFormat('abc')).toBe(false);
    expect(isReferralCodeFormat('-abcd')).toBe(false);
    expect(isReferralCodeFormat('abcd-')).toBe(false);
    expect(isReferralCodeFormat('a'.repeat(33))).toBe(false);
    expect(isReferralCodeFormat('ab cd')).toBe(false);
  });

  it('generates codes without look-alike characters', () => {
    for (let i = 0; i < 200; i++) {
      const code = generateReferralCode();
      expect(code).toHaveLength(GENERATED_CODE_LENGTH);
      expect(code).toMatch(/^[2-9A-HJKMNP-Z]+$/);
      expect(isReferralCodeFormat(code)).toBe(true);
    }
  });

  it('compares codes case-insensitively when deciding whether a change changes the code', () => {
    expect(normalizeReferralCode(' ab-12 ')).toBe('AB-12');
    expect(isCodeChange('LAUNCH', 'launch')).toBe(false);
    expect(isCodeChange('LAUNCH', undefined)).toBe(false);
    expect(isCodeChange('LAUNCH', 'LAUNCH2')).toBe(true);
  });

  it('allows one code per partner', () => {
    expect(oneCodePerPartner(null)).toBeNull();
    expect(oneCodePerPartner('ABCD')).toBe('the partner already holds the referral code ABCD');
  });
});
