// Wallet and transfer factories for tests: open a partner wallet, deposit through the API, poll a transfer,
// and run the ledger invariant check for one tenant.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { openWallet } from '../../db/store/wallets';
import { checkLedger } from '../../db/store/ledger-check';
import type { TestContext } from './context';
import { createPartnerWorkspace, createTenant, type WorkspaceFixture } from './factories';
import { call } from './http';

/** Opens a wallet in `workspace` (as partner provisioning does) and returns its ID. */
export async function createWallet(
  ctx: TestContext,
  workspace: Pick<WorkspaceFixture, 'tenantId' | 'workspaceId'>,
  currency = 'USD',
  name = `${currency} wallet`,
): Promise<string> {
  const id = randomUUID();
  await ctx.orm.em.fork().transactional((em) =>
    openWallet(em, {
      id,
      tenantId: workspace.tenantId,
      workspaceId: workspace.workspaceId,
      currency,
      name,
    }),
  );
  return id;
}

/** Deposits through POST /v1/tenant/wallets/:id/deposits as the tenant admin. */
export async function deposit(ctx: TestContext, tenant: WorkspaceFixture, walletId: string, amount: number) {
  const res = await call(ctx, 'POST', `/v1/tenant/wallets/${walletId}/deposits`, {
    token: tenant.admin.token,
    headers: { 'idempotency-key': randomUUID() },
    body: { amount },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** A tenant with two partner workspaces, a wallet in each, and `funds` (if any) deposited into the first (`source`). */
export async function fundedWalletPair(ctx: TestContext, funds: number) {
  const tenant = await createTenant(ctx);
  const partner = await createPartnerWorkspace(ctx, tenant.tenantId);
  const other = await createPartnerWorkspace(ctx, tenant.tenantId, 'Other partner');
  const source = await createWallet(ctx, partner);
  const dest = await createWallet(ctx, other);
  if (funds > 0) await deposit(ctx, tenant, source, funds);
  return { tenant, partner, other, source, dest };
}

export async function balance(ctx: TestContext, token: string, walletId: string) {
  const res = await call(ctx, 'GET', `/v1/wallets/${walletId}/balance`, { token });
  expect(res.status).toBe(200);
  return res.body as { available: number; pending: number; total: number };
}

/** Polls GET /v1/transfers/:id until its status is one of `statuses` (Temporal moves it asynchronously). */
export async function waitForTransfer(
  ctx: TestContext,
  token: string,
  transferId: string,
  statuses: string[] = ['COMPLETED', 'FAILED', 'CANCELLED'],
  timeoutMs = 45_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call(ctx, 'GET', `/v1/transfers/${transferId}`, { token });
    if (statuses.includes(res.body?.status)) return res.body;
    if (Date.now() > deadline) throw new Error(`transfer ${transferId} stayed ${res.body?.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Asserts every ledger invariant for the tenant (all transfers terminal unless `inFlightAllowed`). */
export async function expectLedgerConsistent(ctx: TestContext, tenantId: string, inFlightAllowed = false) {
  const result = await checkLedger(ctx.orm.em.fork(), { tenantId, requireTerminal: !inFlightAllowed });
  expect(result.violations).toEqual([]);
}

export function walletTransfer(sourceWalletId: string, walletId: string, amount: number, extra: object = {}) {
  return { sourceWalletId, amount, currency: 'USD', destination: { type: 'WALLET', walletId }, ...extra };
}

export function bankTransfer(
  sourceWalletId: string,
  accountNumber: string,
  amount: number,
  extra: object = {},
) {
  return {
    sourceWalletId,
    amount,
    currency: 'USD',
    destination: {
      type: 'CHANNEL',
      channelProductCode: 'SANDBOX_BANK',
      beneficiary: { name: 'Bea Beneficiary', accountNumber },
    },
    ...extra,
  };
}

export async function postTransfer(
  ctx: TestContext,
  token: string,
  body: unknown,
  key: string = randomUUID(),
) {
  return call(ctx, 'POST', '/v1/transfers', { token, headers: { 'idempotency-key': key }, body });
}
