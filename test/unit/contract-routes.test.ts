import { describe, expect, it } from 'vitest';
import '../../api/app'; // routers register their routes when their modules load
import { ROUTE_ACCESS } from '../../api/openapi';

// Every route of the HTTP contract (API.md) with the access it must declare.
const CONTRACT: [method: string, path: string, access: string][] = [
  ['POST', '/v1/platform/tenants', 'platform'],
  ['POST', '/v1/auth/login', 'public'],
  ['POST', '/v1/auth/mfa', 'public'],
  ['POST', '/v1/auth/logout', 'member'],
  ['POST', '/v1/auth/password-reset', 'public'],
  ['POST', '/v1/auth/password-reset/complete', 'public'],
  ['GET', '/v1/me', 'member'],
  ['PUT', '/v1/me/password', 'member'],
  ['GET', '/v1/me/security', 'member'],
  ['POST', '/v1/me/mfa/totp', 'member'],
  ['POST', '/v1/me/mfa/totp/verify', 'member'],
  ['POST', '/v1/me/mfa/disable', 'member'],
  ['GET', '/v1/me/sessions', 'member'],
  ['DELETE', '/v1/me/sessions/:id', 'member'],
  ['GET', '/v1/me/invitations', 'member'],
  ['POST', '/v1/me/invitations/:id/accept', 'member'],
  ['POST', '/v1/me/invitations/:id/decline', 'member'],
  ['GET', '/v1/workspace', 'member'],
  ['PATCH', '/v1/workspace', 'settings.business.edit'],
  ['GET', '/v1/workspace/members', 'settings.team.view'],
  ['POST', '/v1/workspace/members', 'settings.team.manage'],
  ['GET', '/v1/workspace/members/:userId', 'settings.team.view'],
  ['PATCH', '/v1/workspace/members/:userId', 'settings.team.manage'],
  ['POST', '/v1/workspace/members/:userId/password-reset', 'settings.team.manage'],
  ['GET', '/v1/workspace/roles', 'settings.team.view'],
  ['POST', '/v1/workspace/roles', 'settings.team.manage'],
  ['PATCH', '/v1/workspace/roles/:roleId', 'settings.team.manage'],
  ['DELETE', '/v1/workspace/roles/:roleId', 'settings.team.manage'],
  ['GET', '/v1/permissions', 'member'],
  ['POST', '/v1/workspace/invitations', 'settings.team.manage'],
  ['GET', '/v1/workspace/invitations', 'settings.team.view'],
  ['DELETE', '/v1/workspace/invitations/:id', 'settings.team.manage'],
  ['POST', '/v1/workspace/invitations/:id/resend', 'settings.team.manage'],
  ['POST', '/v1/invitations/accept', 'public'],
  ['GET', '/v1/wallets', 'balance.view'],
  ['GET', '/v1/wallets/:id', 'balance.view'],
  ['GET', '/v1/wallets/:id/balance', 'balance.view'],
  ['GET', '/v1/wallets/:id/flows', 'balance.view'],
  ['POST', '/v1/transfers', 'payout.create'],
  ['GET', '/v1/transfers', 'payout.view'],
  ['GET', '/v1/transfers/:id', 'payout.view'],
  ['POST', '/v1/transfers/:id/cancel', 'payout.cancel'],
  ['POST', '/v1/transfers/:id/approve', 'payout.approve'],
  ['POST', '/v1/transfers/:id/reject', 'payout.approve'],
  ['GET', '/v1/workspace/transfer-security', 'settings.transfer_security.edit'],
  ['PUT', '/v1/workspace/transfer-security', 'settings.transfer_security.edit'],
  ['GET', '/v1/referral-code', 'referral.view'],
  ['GET', '/v1/referrals', 'referral.view'],
  ['GET', '/v1/referrals/count', 'referral.view'],
  ['GET', '/v1/channel-products', 'payment.view'],
  ['POST', '/v1/consumers/register', 'public'],
  ['POST', '/v1/tenant/partners', 'tenant.partners.manage'],
  ['GET', '/v1/tenant/partners', 'tenant.partners.manage'],
  ['GET', '/v1/tenant/partners/:id', 'tenant.partners.manage'],
  ['POST', '/v1/tenant/partners/:id/suspend', 'tenant.partners.manage'],
  ['POST', '/v1/tenant/partners/:id/reactivate', 'tenant.partners.manage'],
  ['POST', '/v1/tenant/onboarding-batches', 'tenant.onboarding.manage'],
  ['GET', '/v1/tenant/onboarding-batches/:id', 'tenant.onboarding.manage'],
  ['POST', '/v1/tenant/onboarding-batches/:id/cancel', 'tenant.onboarding.manage'],
  ['GET', '/v1/tenant/onboarding-batches/:id/rows', 'tenant.onboarding.manage'],
  ['POST', '/v1/tenant/referral-codes', 'tenant.referrals.manage'],
  ['GET', '/v1/tenant/referral-codes', 'tenant.referrals.manage'],
  ['PATCH', '/v1/tenant/referral-codes/:id', 'tenant.referrals.manage'],
  ['GET', '/v1/tenant/channel-products', 'tenant.channels.manage'],
  ['POST', '/v1/tenant/channel-products', 'tenant.channels.manage'],
  ['PATCH', '/v1/tenant/channel-products/:code', 'tenant.channels.manage'],
  ['GET', '/v1/tenant/fees', 'tenant.fees.manage'],
  ['PUT', '/v1/tenant/fees', 'tenant.fees.manage'],
  ['GET', '/v1/tenant/notification-settings', 'tenant.notifications.manage'],
  ['PUT', '/v1/tenant/notification-settings', 'tenant.notifications.manage'],
  ['POST', '/v1/tenant/wallets/:id/deposits', 'tenant.wallets.manage'],
  ['PATCH', '/v1/tenant/wallets/:id', 'tenant.wallets.manage'],
  ['GET', '/v1/tenant/transfers', 'tenant.wallets.manage'],
  ['GET', '/v1/tenant/audit-log', 'tenant.audit.view'],
  ['POST', '/v1/merchant-applications', 'public'],
  ['GET', '/v1/tenant/merchant-applications', 'tenant.merchants.manage'],
  ['GET', '/v1/tenant/merchant-applications/:id', 'tenant.merchants.manage'],
  ['POST', '/v1/tenant/merchant-applications/:id/approve', 'tenant.merchants.manage'],
  ['POST', '/v1/tenant/merchant-applications/:id/reject', 'tenant.merchants.manage'],
  ['GET', '/v1/tenant/merchants', 'tenant.merchants.manage'],
  ['GET', '/v1/tenant/merchants/:id', 'tenant.merchants.manage'],
  ['POST', '/v1/tenant/merchants/:id/suspend', 'tenant.merchants.manage'],
  ['POST', '/v1/tenant/merchants/:id/reactivate', 'tenant.merchants.manage'],
  ['GET', '/health', 'public'],
  ['GET', '/ready', 'public'],
];

/** Path parameters may be named differently (`:id` vs `:userId`); compare by shape. */
const shape = (path: string) => path.replace(/:\w+|\{\w+\}/g, ':param');

describe('the HTTP contract of API.md', () => {
  const declared = new Map(ROUTE_ACCESS.map((r) => [`${r.method} ${shape(r.path)}`, r.access]));

  it.each(CONTRACT)('%s %s exists and requires %s', (method, path, access) => {
    expect(declared.get(`${method} ${shape(path)}`)).toBe(access);
  });

  it('declares every route exactly once', () => {
    const keys = ROUTE_ACCESS.map((r) => `${r.method} ${shape(r.path)}`);
    expect(keys.length).toBe(new Set(keys).size);
  });
});
