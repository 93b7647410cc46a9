// Merchant fixtures: an application through the public API, the tenant's decision, and an approved merchant
// whose applicant activated its account from the invitation mail.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { TestContext } from './context';
import { uniqueEmail } from './factories';
import { call } from './http';
import { outboxMails, tokenFrom } from '../integration/messaging-helpers';

export function applicationBody(tenantId: string, overrides: Record<string, unknown> = {}) {
  return {
    tenantId,
    businessName: `Shop ${randomUUID().slice(0, 6)}`,
    contactName: 'Casey Merchant',
    email: uniqueEmail('merchant'),
    country: 'DE',
    website: 'https://shop.example.com',
    currencies: ['EUR', 'USD'],
    ...overrides,
  };
}

/** Submits an application (202) and returns its ID with the body sent. */
export async function apply(
  ctx: TestContext,
  tenantId: string,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; body: ReturnType<typeof applicationBody> }> {
  const body = applicationBody(tenantId, overrides);
  const res = await call(ctx, 'POST', '/v1/merchant-applications', { body });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  expect(res.body).toEqual({ id: expect.any(String), status: 'SUBMITTED' });
  return { id: res.body.id, body };
}

/** Polls GET /v1/tenant/merchants/:id until the merchant leaves PROVISIONING. */
export async function waitForMerchant(ctx: TestContext, token: string, merchantId: string): Promise<any> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const res = await call(ctx, 'GET', `/v1/tenant/merchants/${merchantId}`, { token });
    expect(res.status).toBe(200);
    if (res.body.status !== 'PROVISIONING') return res.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`merchant ${merchantId} is still PROVISIONING`);
}

/** Applies, approves as `tenantToken` and waits for the merchant to be provisioned. */
export async function approvedMerchant(
  ctx: TestContext,
  tenant: { tenantId: string; admin: { token: string } },
  overrides: Record<string, unknown> = {},
): Promise<{ applicationId: string; body: ReturnType<typeof applicationBody>; merchant: any }> {
  const { id, body } = await apply(ctx, tenant.tenantId, overrides);
  const approved = await call(ctx, 'POST', `/v1/tenant/merchant-applications/${id}/approve`, {
    token: tenant.admin.token,
  });
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  const merchant = await waitForMerchant(ctx, tenant.admin.token, approved.body.merchantId);
  return { applicationId: id, body, merchant };
}

/** The applicant accepts the activation invitation from its mail, then signs in: its session token. */
export async function activateApplicant(
  ctx: TestContext,
  email: string,
  password = 'the merchant admin password',
): Promise<string> {
  const [mail] = await outboxMails(ctx, email);
  const accepted = await call(ctx, 'POST', '/v1/invitations/accept', {
    body: { token: tokenFrom(mail!.text), name: 'Casey Merchant', password },
  });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  const session = await call(ctx, 'POST', '/v1/auth/login', { body: { email, password } });
  expect(session.status, JSON.stringify(session.body)).toBe(200);
  return session.body.token as string;
}
