// Set-up through the public HTTP API only: a tenant, its fee, partners provisioned and activated by their
// admins (invitation token from the dev outbox), funded wallets.
import { randomUUID } from 'node:crypto';
import { expectStatus, type HttpClient } from './http';

export const PASSWORD = 'bench-password-long-enough';
export const CURRENCY = 'USD';

export interface BenchPartner {
  partnerId: string;
  workspaceId: string;
  walletId: string;
  email: string;
  token: string;
}

export interface BenchTenant {
  tenantId: string;
  adminEmail: string;
  adminToken: string;
}

export async function login(http: HttpClient, email: string): Promise<string> {
  const body = await expectStatus(http, 200, 'POST', '/v1/auth/login', {
    body: { email, password: PASSWORD },
  });
  return body.token as string;
}

export async function createTenant(
  http: HttpClient,
  platformToken: string,
  label: string,
): Promise<BenchTenant> {
  const adminEmail = `admin-${label}-${randomUUID().slice(0, 8)}@bench.test`;
  const tenant = await expectStatus(http, 201, 'POST', '/v1/platform/tenants', {
    token: platformToken,
    body: { name: `Bench ${label}`, adminEmail, adminName: 'Bench Admin', adminPassword: PASSWORD },
  });
  const adminToken = await login(http, adminEmail);
  return { tenantId: tenant.id, adminEmail, adminToken };
}

/** A fee on INTERNAL transfers, so every transfer also credits the tenant's FEE_REVENUE account. */
export async function setInternalFee(http: HttpClient, tenant: BenchTenant): Promise<void> {
  await expectStatus(http, 200, 'PUT', '/v1/tenant/fees', {
    token: tenant.adminToken,
    body: { data: [{ channelProductCode: 'INTERNAL', currency: CURRENCY, fixed: 5, percentBps: 10 }] },
  });
}

async function poll<T>(what: string, timeoutMs: number, fn: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function invitationToken(http: HttpClient, email: string): Promise<string> {
  return poll(`the invitation mail to ${email}`, 60_000, async () => {
    const res = await http.call('GET', `/v1/dev/outbox?to=${encodeURIComponent(email)}`);
    const match = /token=([A-Za-z0-9_-]+)/.exec(res.body?.data?.[0]?.text ?? '');
    return match ? match[1]! : null;
  });
}

export async function deposit(http: HttpClient, tenant: BenchTenant, walletId: string, amount: number) {
  await expectStatus(http, 201, 'POST', `/v1/tenant/wallets/${walletId}/deposits`, {
    token: tenant.adminToken,
    headers: { 'idempotency-key': randomUUID() },
    body: { amount },
  });
}

/** POST /v1/tenant/partners, wait for ACTIVE, accept the admin's invitation, log in, fund the USD wallet. */
export async function activePartner(
  http: HttpClient,
  tenant: BenchTenant,
  funds: number,
): Promise<BenchPartner> {
  const email = `partner-${randomUUID().slice(0, 12)}@bench.test`;
  const started = await expectStatus(http, 202, 'POST', '/v1/tenant/partners', {
    token: tenant.adminToken,
    body: {
      name: `Partner ${email.slice(8, 20)}`,
      adminEmail: email,
      adminName: 'Pat',
      currencies: [CURRENCY],
    },
  });
  const partner = await poll(`partner ${started.id}`, 120_000, async () => {
    const p = await expectStatus(http, 200, 'GET', `/v1/tenant/partners/${started.id}`, {
      token: tenant.adminToken,
    });
    if (p.status === 'FAILED') throw new Error(`partner ${p.id} FAILED: ${p.failureReason}`);
    return p.status === 'ACTIVE' ? p : null;
  });
  const token = await invitationToken(http, email);
  await expectStatus(http, 200, 'POST', '/v1/invitations/accept', {
    body: { token, name: 'Pat Partner', password: PASSWORD },
  });
  const walletId = (partner.wallets as { id: string; currency: string }[]).find(
    (w) => w.currency === CURRENCY,
  )!.id;
  if (funds > 0) await deposit(http, tenant, walletId, funds);
  return {
    partnerId: partner.id,
    workspaceId: partner.workspaceId,
    walletId,
    email,
    token: await login(http, email),
  };
}

/** `count` partners, `parallel` at a time. */
export async function activePartners(
  http: HttpClient,
  tenant: BenchTenant,
  count: number,
  funds: number,
  parallel = 8,
): Promise<BenchPartner[]> {
  const out: BenchPartner[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, count) }, async () => {
      while (next < count) {
        next += 1;
        out.push(await activePartner(http, tenant, funds));
      }
    }),
  );
  return out;
}
