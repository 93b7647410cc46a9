// A merchant's onboarding end to end (issue 15): the tenant approves the application, provisioning makes the
// merchant ACTIVE with a MERCHANT workspace, the seed's five roles and one wallet per currency; the applicant
// activates from the invitation mail and adds a team member with the seed's fields; each recommended role gets
// exactly its pages; a MERCHANT role never holds tenant.* keys; suspension blocks sign-in and transfers.
import { describe, expect, it } from 'vitest';
import { SYSTEM_ROLES } from '../../domain/permissions';
import { useTestContext } from '../helpers/context';
import { createTenant, uniqueEmail } from '../helpers/factories';
import { call, expectProblem } from '../helpers/http';
import { activateApplicant, approvedMerchant } from '../helpers/merchants';

const ctx = useTestContext();

/** The seed's recommended roles in catalog keys (004: Admin all; Finance; Operations; Customer Service; Technical). */
const SEED_ROLES: Record<string, string[]> = {
  Finance: ['balance.view', 'payment.view', 'payout.view', 'payout.create', 'payout.cancel'],
  Operations: ['home.view', 'payment.view', 'payment.manage'],
  'Customer Service': ['home.view', 'payment.view'],
  Technical: ['settings.webhooks.edit', 'settings.payment.edit'],
};

/** One allowed and one forbidden request per role, as [method, path]. */
const ROLE_TABLE: Record<string, { allowed: [string, string]; forbidden: [string, string] }> = {
  Admin: { allowed: ['GET', '/v1/workspace/members'], forbidden: ['GET', '/v1/tenant/merchants'] },
  Finance: { allowed: ['GET', '/v1/wallets'], forbidden: ['GET', '/v1/workspace/members'] },
  Operations: { allowed: ['GET', '/v1/channel-products'], forbidden: ['GET', '/v1/wallets'] },
  'Customer Service': { allowed: ['GET', '/v1/channel-products'], forbidden: ['GET', '/v1/transfers'] },
  Technical: { allowed: ['GET', '/v1/permissions'], forbidden: ['GET', '/v1/channel-products'] },
};

const MEMBER_PASSWORD = 'a team member password';

/** Adds a team member with the seed's fields (the Admin's form) and signs it in. */
async function addTeamMember(adminToken: string, roleId: string, extra: Record<string, unknown> = {}) {
  const loginEmail = uniqueEmail('team');
  const created = await call(ctx, 'POST', '/v1/workspace/members', {
    token: adminToken,
    body: {
      name: 'Terry Team',
      loginEmail,
      contactEmail: uniqueEmail('contact'),
      receiveChargebackEmails: true,
      password: MEMBER_PASSWORD,
      confirmPassword: MEMBER_PASSWORD,
      roleId,
      status: 'ACTIVE',
      ...extra,
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const session = await call(ctx, 'POST', '/v1/auth/login', {
    body: { email: loginEmail, password: MEMBER_PASSWORD },
  });
  const token = session.body?.token as string;
  if (session.status === 200) {
    // An admin-set password is replaced on first sign-in (the seed's Password field is the initial one).
    const changed = await call(ctx, 'PUT', '/v1/me/password', {
      token,
      body: { currentPassword: MEMBER_PASSWORD, newPassword: `${MEMBER_PASSWORD} of my own` },
    });
    expect(changed.status).toBe(204);
  }
  return { member: created.body, loginEmail, token, login: session };
}

describe('an approved merchant', () => {
  it('is provisioned ACTIVE; the applicant activates, adds a team member, and each role gets its pages', async () => {
    const tenant = await createTenant(ctx);
    const { applicationId, body, merchant } = await approvedMerchant(ctx, tenant, {
      currencies: ['EUR', 'USD'],
    });
    expect(merchant).toMatchObject({ status: 'ACTIVE', name: body.businessName, applicationId });
    expect(merchant.wallets.map((w: any) => w.currency)).toEqual(['EUR', 'USD']);
    const application = await call(ctx, 'GET', `/v1/tenant/merchant-applications/${applicationId}`, {
      token: tenant.admin.token,
    });
    expect(application.body).toMatchObject({
      status: 'APPROVED',
      merchantId: merchant.id,
      decidedBy: tenant.admin.userId,
    });

    // Not usable before activation; activated from the invitation mail.
    expect(
      (await call(ctx, 'POST', '/v1/auth/login', { body: { email: body.email, password: 'x'.repeat(12) } }))
        .status,
    ).toBe(401);
    const adminToken = await activateApplicant(ctx, body.email);
    const workspace = await call(ctx, 'GET', '/v1/workspace', { token: adminToken });
    expect(workspace.body).toMatchObject({
      id: merchant.workspaceId,
      kind: 'MERCHANT',
      tenantId: tenant.tenantId,
    });
    const wallets = await call(ctx, 'GET', '/v1/wallets', { token: adminToken });
    expect(wallets.body.data.map((w: any) => w.id).sort()).toEqual(
      merchant.wallets.map((w: any) => w.id).sort(),
    );

    // The five recommended roles with the seed's permissions; Admin has every key a MERCHANT role may hold.
    const roles = await call(ctx, 'GET', '/v1/workspace/roles', { token: adminToken });
    const byName = Object.fromEntries(roles.body.data.map((r: any) => [r.name, r]));
    expect(Object.keys(byName).sort()).toEqual(SYSTEM_ROLES.map((r) => r.name).sort());
    for (const [name, keys] of Object.entries(SEED_ROLES)) {
      expect(byName[name].permissions, name).toEqual(expect.arrayContaining(keys));
      expect(byName[name].system).toBe(true);
    }
    expect(byName['Customer Service'].permissions.sort()).toEqual(['home.view', 'payment.view']);
    expect(byName.Technical.permissions.sort()).toEqual(['settings.payment.edit', 'settings.webhooks.edit']);
    const catalog = await call(ctx, 'GET', '/v1/permissions', { token: adminToken });
    expect(byName.Admin.permissions.sort()).toEqual(catalog.body.data.map((p: any) => p.key).sort());
    for (const role of roles.body.data) {
      expect(
        role.permissions.filter((k: string) => k.startsWith('tenant.')),
        role.name,
      ).toEqual([]);
    }

    // A team member with the seed's fields; a disabled one cannot sign in.
    const finance = await addTeamMember(adminToken, byName.Finance.id);
    expect(finance.member).toMatchObject({
      name: 'Terry Team',
      loginEmail: finance.loginEmail,
      receiveChargebackEmails: true,
      roleId: byName.Finance.id,
      roleName: 'Finance',
      status: 'ACTIVE',
    });
    expect(finance.login.body.workspace.id).toBe(merchant.workspaceId);
    const disabled = await addTeamMember(adminToken, byName.Operations.id, { status: 'DISABLED' });
    expectProblem(disabled.login, 403, 'ACCOUNT_DISABLED');

    // The role table: an allowed and a forbidden request for each of the five roles.
    const tokens: Record<string, string> = { Admin: adminToken, Finance: finance.token };
    for (const name of ['Operations', 'Customer Service', 'Technical']) {
      tokens[name] = (await addTeamMember(adminToken, byName[name].id)).token;
    }
    for (const [name, { allowed, forbidden }] of Object.entries(ROLE_TABLE)) {
      const ok = await call(ctx, allowed[0], allowed[1], { token: tokens[name] });
      expect(ok.status, `${name} ${allowed.join(' ')}`).toBe(200);
      expectProblem(await call(ctx, forbidden[0], forbidden[1], { token: tokens[name] }), 403, 'FORBIDDEN');
    }
  });

  it('never lets a MERCHANT role hold a tenant.* key', async () => {
    const tenant = await createTenant(ctx);
    const { body } = await approvedMerchant(ctx, tenant, { currencies: ['USD'] });
    const adminToken = await activateApplicant(ctx, body.email);
    const refused = await call(ctx, 'POST', '/v1/workspace/roles', {
      token: adminToken,
      body: { name: 'Sneaky', permissions: ['home.view', 'tenant.merchants.manage'] },
    });
    const problem = expectProblem(refused, 400, 'VALIDATION_FAILED');
    expect(problem.errors).toEqual([
      expect.objectContaining({ message: expect.stringContaining('tenant.merchants.manage') }),
    ]);
    const roles = await call(ctx, 'GET', '/v1/workspace/roles', { token: adminToken });
    expect(roles.body.data.map((r: any) => r.name)).not.toContain('Sneaky');
    const catalog = await call(ctx, 'GET', '/v1/permissions', { token: adminToken });
    expect(catalog.body.data.filter((p: any) => p.key.startsWith('tenant.'))).toEqual([]);
  });

  it('suspended: its members cannot sign in or start transfers; reactivated: they can again', async () => {
    const tenant = await createTenant(ctx);
    const { body, merchant } = await approvedMerchant(ctx, tenant, { currencies: ['USD'] });
    const password = 'the merchant admin password';
    const adminToken = await activateApplicant(ctx, body.email, password);
    const wallet = merchant.wallets[0];

    const suspended = await call(ctx, 'POST', `/v1/tenant/merchants/${merchant.id}/suspend`, {
      token: tenant.admin.token,
    });
    expect(suspended.status).toBe(200);
    expect(suspended.body.status).toBe('SUSPENDED');
    expectProblem(await call(ctx, 'GET', '/v1/wallets', { token: adminToken }), 401, 'UNAUTHENTICATED');
    expectProblem(
      await call(ctx, 'POST', '/v1/transfers', {
        token: adminToken,
        headers: { 'idempotency-key': crypto.randomUUID() },
        body: {
          sourceWalletId: wallet.id,
          amount: 100,
          currency: 'USD',
          destination: { type: 'WALLET', walletId: wallet.id },
        },
      }),
      401,
      'UNAUTHENTICATED',
    );
    expectProblem(
      await call(ctx, 'POST', '/v1/auth/login', { body: { email: body.email, password } }),
      403,
      'ACCOUNT_DISABLED',
    );
    // Suspending twice is a no-op; only a SUSPENDED merchant is reactivated.
    expect(
      (await call(ctx, 'POST', `/v1/tenant/merchants/${merchant.id}/suspend`, { token: tenant.admin.token }))
        .status,
    ).toBe(200);

    const reactivated = await call(ctx, 'POST', `/v1/tenant/merchants/${merchant.id}/reactivate`, {
      token: tenant.admin.token,
    });
    expect(reactivated.body.status).toBe('ACTIVE');
    const again = await call(ctx, 'POST', '/v1/auth/login', { body: { email: body.email, password } });
    expect(again.status).toBe(200);
    const transfer = await call(ctx, 'POST', '/v1/transfers', {
      token: again.body.token,
      headers: { 'idempotency-key': crypto.randomUUID() },
      body: {
        sourceWalletId: wallet.id,
        amount: 100,
        currency: 'USD',
        destination: { type: 'WALLET', walletId: wallet.id },
      },
    });
    // Reaches the transfer rules again (a wallet cannot pay itself), no longer stopped at the door.
    expect(transfer.status).toBe(400);

    const listed = await call(ctx, 'GET', '/v1/tenant/merchants?status=ACTIVE', {
      token: tenant.admin.token,
    });
    expect(listed.body.data.map((m: any) => m.id)).toEqual([merchant.id]);
  });
});
