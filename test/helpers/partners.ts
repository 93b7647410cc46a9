// Partner fixtures: a ready partner written straight to the database, or one provisioned through the API.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { Client } from '@temporalio/client';
import { createPartnerWorkspace, uniqueEmail, type WorkspaceFixture } from './factories';
import { appWith, type TestContext } from './context';
import { call } from './http';

export interface PartnerFixture extends WorkspaceFixture {
  partnerId: string;
  referralCodeId: string | null;
  referralCode: string | null;
}

/** An ACTIVE partner with its PARTNER workspace, a signed-in Admin and (unless `code: null`) an ACTIVE code. */
export async function createPartner(
  ctx: TestContext,
  tenantId: string,
  options: { name?: string; code?: string | null; codeStatus?: 'ACTIVE' | 'INACTIVE' } = {},
): Promise<PartnerFixture> {
  const name = options.name ?? `Partner ${randomUUID().slice(0, 6)}`;
  const ws = await createPartnerWorkspace(ctx, tenantId, name);
  const partnerId = randomUUID();
  const code = options.code === undefined ? `P${randomUUID().slice(0, 8).toUpperCase()}` : options.code;
  const referralCodeId = code ? randomUUID() : null;
  await ctx.orm.em.fork().transactional(async (em) => {
    await em.execute(
      `insert into partner (id, tenant_id, workspace_id, name, status, admin_user_id, admin_email, admin_name, currencies, created_at, updated_at)
       values (?, ?, ?, ?, 'ACTIVE', ?, ?, 'Admin', '{USD}', now(), now())`,
      [partnerId, tenantId, ws.workspaceId, name, ws.admin.userId, ws.admin.email],
    );
    if (code) {
      await em.execute(
        `insert into referral_code (id, tenant_id, partner_id, code, status, created_at, updated_at)
         values (?, ?, ?, ?, ?, now(), now())`,
        [referralCodeId, tenantId, partnerId, code, options.codeStatus ?? 'ACTIVE'],
      );
    }
  });
  return { ...ws, partnerId, referralCodeId, referralCode: code };
}

export function partnerBody(overrides: Record<string, unknown> = {}) {
  return {
    name: `Partner ${randomUUID().slice(0, 6)}`,
    adminEmail: uniqueEmail('partner-admin'),
    adminName: 'Pat Partner',
    currencies: ['USD', 'EUR'],
    ...overrides,
  };
}

/** Polls GET /v1/tenant/partners/:id until the partner leaves PROVISIONING (the workflow ran). */
export async function waitForPartner(ctx: TestContext, token: string, partnerId: string): Promise<any> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const res = await call(ctx, 'GET', `/v1/tenant/partners/${partnerId}`, { token });
    expect(res.status).toBe(200);
    if (res.body.status !== 'PROVISIONING') return res.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`partner ${partnerId} is still PROVISIONING`);
}

/** Provisions a partner through POST /v1/tenant/partners and waits for the outcome. */
export async function provisionPartner(
  ctx: TestContext,
  token: string,
  overrides: Record<string, unknown> = {},
): Promise<{ body: ReturnType<typeof partnerBody>; partner: any; workflowId: string }> {
  const body = partnerBody(overrides);
  const res = await call(ctx, 'POST', '/v1/tenant/partners', { token, body });
  expect(res.status).toBe(202);
  const partner = await waitForPartner(ctx, token, res.body.id);
  return { body, partner, workflowId: res.body.workflowId };
}

/**
 * The same API and database, but a Temporal client bound to a namespace that does not exist: every workflow
 * start fails for real (the server refuses it), as when Temporal is misconfigured or unreachable.
 */
export function withFailingStarts(ctx: TestContext): TestContext {
  const temporal = new Client({ connection: ctx.temporal.connection, namespace: `missing-${randomUUID()}` });
  return { ...ctx, temporal, app: appWith(ctx, { temporal }) };
}
