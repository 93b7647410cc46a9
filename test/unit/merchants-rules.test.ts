import { describe, expect, it } from 'vitest';
import { applicationTimeline } from '../../domain/merchants/contract';
import {
  checkApplication,
  decisionRefusal,
  isKnownCountry,
  isWebsite,
  nextMerchantStatus,
} from '../../domain/merchants/rules';
import { SYSTEM_ROLES, disallowedForKind, permissionsForKind } from '../../domain/permissions';

const rolePermissions = (name: string) => SYSTEM_ROLES.find((r) => r.name === name)!.permissions('MERCHANT');

describe('the MERCHANT role table (seed 004 recommendations)', () => {
  it('gives the five roles the seed recommends, in catalog keys', () => {
    expect(SYSTEM_ROLES.map((r) => r.name)).toEqual([
      'Admin',
      'Finance',
      'Operations',
      'Customer Service',
      'Technical',
    ]);
    // Admin: all permissions a MERCHANT role may hold.
    expect(rolePermissions('Admin')).toEqual(permissionsForKind('MERCHANT'));
    // Finance: balance account, payment settlement, payout.
    expect(rolePermissions('Finance')).toEqual(
      expect.arrayContaining([
        'balance.view',
        'payment.view',
        'payout.view',
        'payout.create',
        'payout.cancel',
      ]),
    );
    expect(rolePermissions('Finance').every((k) => /^(balance|payment|payout)\./.test(k))).toBe(true);
    // Operations: home, payment (transaction management).
    expect([...rolePermissions('Operations')].sort()).toEqual([
      'home.view',
      'payment.manage',
      'payment.view',
    ]);
    // Customer Service: home, payment (view only).
    expect([...rolePermissions('Customer Service')].sort()).toEqual(['home.view', 'payment.view']);
    // Technical: settings (webhooks, payment settings).
    expect([...rolePermissions('Technical')].sort()).toEqual([
      'settings.payment.edit',
      'settings.webhooks.edit',
    ]);
  });

  it('never holds a tenant.* key (nor the partner-only referral page) in a MERCHANT workspace', () => {
    const merchantKeys = permissionsForKind('MERCHANT');
    expect(merchantKeys.filter((k) => k.startsWith('tenant.'))).toEqual([]);
    expect(merchantKeys).not.toContain('referral.view');
    expect(disallowedForKind('MERCHANT', ['tenant.merchants.manage', 'home.view'])).toEqual([
      'tenant.merchants.manage',
    ]);
    expect(disallowedForKind('PARTNER', ['tenant.merchants.manage'])).toEqual(['tenant.merchants.manage']);
    expect(disallowedForKind('TENANT', ['tenant.merchants.manage'])).toEqual([]);
    expect(permissionsForKind('TENANT')).toContain('tenant.merchants.manage');
    expect(permissionsForKind('PARTNER')).toContain('referral.view');
  });
});

const valid = {
  businessName: '  Corner Shop  ',
  contactName: 'Casey',
  email: 'Casey@Shop.Example',
  country: 'de',
  website: 'https://shop.example.com',
  currencies: ['USD', 'usd', 'EUR'],
};

describe('application validation', () => {
  it('normalises a valid application', () => {
    expect(checkApplication(valid)).toEqual({
      problems: [],
      fields: {
        businessName: 'Corner Shop',
        contactName: 'Casey',
        email: 'casey@shop.example',
        country: 'DE',
        website: 'https://shop.example.com',
        currencies: ['USD', 'EUR'],
      },
    });
    expect(checkApplication({ ...valid, website: '  ' }).fields.website).toBeNull();
  });

  it('names every bad field', () => {
    const { problems } = checkApplication({
      businessName: ' ',
      contactName: '',
      email: 'x@y.z',
      country: 'XX',
      website: 'ftp://files.example.com',
      currencies: ['USD', 'ABC'],
    });
    expect(problems.map((p) => p.path)).toEqual([
      'body.businessName',
      'body.contactName',
      'body.country',
      'body.website',
      'body.currencies.1',
    ]);
    expect(checkApplication({ ...valid, currencies: [] }).problems.map((p) => p.path)).toEqual([
      'body.currencies',
    ]);
  });

  it('knows countries and websites', () => {
    for (const c of ['US', 'DE', 'JP', 'BR']) expect(isKnownCountry(c), c).toBe(true);
    for (const c of ['ZZ', 'EU', 'UN', 'AA', 'us', 'USA', '', 'D1']) expect(isKnownCountry(c), c).toBe(false);
    expect(isWebsite('https://a.example')).toBe(true);
    expect(isWebsite('http://localhost')).toBe(false);
    expect(isWebsite('javascript:alert(1)')).toBe(false);
    expect(isWebsite('not a url')).toBe(false);
  });
});

describe('decisions and lifetime', () => {
  it('lets only a SUBMITTED application be decided', () => {
    expect(decisionRefusal('SUBMITTED')).toBeNull();
    for (const s of ['APPROVED', 'REJECTED', 'EXPIRED']) {
      expect(decisionRefusal(s)).toBe(`the application is already ${s}`);
    }
  });

  it('reminds before the expiry only', () => {
    expect(applicationTimeline(30 * 86_400_000, 2 * 86_400_000)).toEqual({
      reminderAtMs: 2 * 86_400_000,
      expireAtMs: 30 * 86_400_000,
    });
    expect(applicationTimeline(1_000, 1_000).reminderAtMs).toBeNull();
    expect(applicationTimeline(1_000, 5_000).reminderAtMs).toBeNull();
    expect(applicationTimeline(1_000, 0).reminderAtMs).toBeNull();
  });

  it('suspends and reactivates merchants by the shared suspension rule', () => {
    expect(nextMerchantStatus('ACTIVE', true, 'suspend')).toEqual({ to: 'SUSPENDED' });
    expect(nextMerchantStatus('SUSPENDED', true, 'reactivate')).toEqual({ to: 'ACTIVE' });
    expect(nextMerchantStatus('SUSPENDED', true, 'suspend')).toEqual({});
    expect(nextMerchantStatus('PROVISIONING', false, 'suspend').refusal).toBe(
      'a PROVISIONING merchant cannot be suspended',
    );
    expect(nextMerchantStatus('FAILED', false, 'reactivate').refusal).toBe(
      'a FAILED merchant cannot be reactivated',
    );
  });
});
