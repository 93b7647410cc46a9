// The ledger store on the real database: idempotent postings, exactly-once resolution, the funds floor,
// and a ledger check (function and CLI) that catches a corrupted account.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { checkLedger } from '../../db/store/ledger-check';
import {
  ensureSystemAccount,
  holdFunds,
  InsufficientFundsError,
  LedgerStateError,
  postImmediately,
  resolveHold,
  SYSTEM_ACCOUNTS,
} from '../../db/store/ledger';
import { findWallet } from '../../db/store/wallets';
import { useTestContext } from '../helpers/context';
import { createPartnerWorkspace, createTenant } from '../helpers/factories';
import { createWallet } from '../helpers/wallets';

const ctx = useTestContext({ worker: false });

async function fixture() {
  const tenant = await createTenant(ctx);
  const partner = await createPartnerWorkspace(ctx, tenant.tenantId);
  const walletId = await createWallet(ctx, partner);
  const em = ctx.orm.em.fork();
  const wallet = (await findWallet(em, walletId, { tenantId: tenant.tenantId }))!;
  const funding = await ensureSystemAccount(em, tenant.tenantId, 'USD', SYSTEM_ACCOUNTS.FUNDING);
  const settlement = await ensureSystemAccount(
    em,
    tenant.tenantId,
    'USD',
    SYSTEM_ACCOUNTS.settlement('SANDBOX_BANK'),
  );
  const posting = (operationId: string, step: string, debit: string, credit: string, amount: bigint) => ({
    tenantId: tenant.tenantId,
    currency: 'USD',
    operationId,
    step,
    description: 'test',
    legs: [{ debit, credit, amount, description: 'test' }],
  });
  return { tenant, wallet, funding, settlement, posting };
}

const tx = <T>(fn: (em: any) => Promise<T>) => ctx.orm.em.fork().transactional(fn);

describe('ledger postings', () => {
  it('are idempotent by (operation, step), resolve exactly once and never take a wallet below zero', async () => {
    const f = await fixture();
    const op = randomUUID();
    const first = await tx((em) =>
      postImmediately(em, f.posting(op, 'post', f.funding, f.wallet.accountId, 1_000n)),
    );
    const again = await tx((em) =>
      postImmediately(em, f.posting(op, 'post', f.funding, f.wallet.accountId, 1_000n)),
    );
    expect(first.created).toBe(true);
    expect(again).toEqual({ transactionId: first.transactionId, created: false });

    const hold = randomUUID();
    await expect(
      tx((em) => holdFunds(em, f.posting(hold, 'hold', f.wallet.accountId, f.settlement, 1_001n))),
    ).rejects.toBeInstanceOf(InsufficientFundsError);
    await tx((em) => holdFunds(em, f.posting(hold, 'hold', f.wallet.accountId, f.settlement, 600n)));
    await tx((em) => holdFunds(em, f.posting(hold, 'hold', f.wallet.accountId, f.settlement, 600n)));
    let w = (await findWallet(ctx.orm.em.fork(), f.wallet.id, { tenantId: f.tenant.tenantId }))!;
    expect([w.available, w.pending]).toEqual([400n, 600n]);
    await expect(
      tx((em) => holdFunds(em, f.posting(randomUUID(), 'hold', f.wallet.accountId, f.settlement, 401n))),
    ).rejects.toBeInstanceOf(InsufficientFundsError);

    expect(await tx((em) => resolveHold(em, hold, 'hold', 'POSTED'))).toBe(true);
    expect(await tx((em) => resolveHold(em, hold, 'hold', 'POSTED'))).toBe(false);
    await expect(tx((em) => resolveHold(em, hold, 'hold', 'VOIDED'))).rejects.toBeInstanceOf(
      LedgerStateError,
    );
    w = (await findWallet(ctx.orm.em.fork(), f.wallet.id, { tenantId: f.tenant.tenantId }))!;
    expect([w.available, w.pending]).toEqual([400n, 0n]);
    expect((await checkLedger(ctx.orm.em.fork(), { tenantId: f.tenant.tenantId })).violations).toEqual([]);
  });

  it('concurrent two-leg holds, posts and voids sharing the FEE_REVENUE and SETTLEMENT rows neither deadlock nor lose an update', async () => {
    const f = await fixture();
    const partner = await createPartnerWorkspace(ctx, f.tenant.tenantId, 'Second');
    const em = ctx.orm.em.fork();
    const other = (await findWallet(em, await createWallet(ctx, partner), { tenantId: f.tenant.tenantId }))!;
    const fee = await ensureSystemAccount(em, f.tenant.tenantId, 'USD', SYSTEM_ACCOUNTS.FEE_REVENUE);
    const wallets = [f.wallet.accountId, other.accountId];
    for (const w of wallets)
      await tx((e) => postImmediately(e, f.posting(randomUUID(), 'post', f.funding, w, 100_000n)));
    const legs = (i: number) => {
      const source = wallets[i % 2]!;
      // Even operations go wallet to wallet, odd ones to the channel's settlement account; all pay a fee.
      const credit = i % 4 < 2 ? wallets[(i + 1) % 2]! : f.settlement;
      return [
        { debit: source, credit, amount: BigInt(100 + i), description: 'amount' },
        { debit: source, credit: fee, amount: 5n, description: 'fee' },
      ];
    };
    const ops = Array.from({ length: 40 }, (_, i) => ({ id: randomUUID(), i }));
    await Promise.all(
      ops.map(async ({ id, i }) => {
        const posting = { ...f.posting(id, 'hold', '', '', 0n), legs: legs(i) };
        await tx((e) => holdFunds(e, posting));
        await tx((e) => holdFunds(e, posting));
        await tx((e) => resolveHold(e, id, 'hold', i % 3 === 0 ? 'VOIDED' : 'POSTED'));
      }),
    );
    const posted = ops.filter(({ i }) => i % 3 !== 0).reduce((n) => n + 5n, 0n);
    const [feeRow] = await ctx.orm.em
      .fork()
      .execute<{ credits_posted: string; credits_pending: string }[]>(
        'select credits_posted, credits_pending from ledger_account where id = ?',
        [fee],
      );
    expect([BigInt(feeRow!.credits_posted), BigInt(feeRow!.credits_pending)]).toEqual([posted, 0n]);
    expect((await checkLedger(ctx.orm.em.fork(), { tenantId: f.tenant.tenantId })).violations).toEqual([]);
  });

  it("concurrent postings into one system account keep its entries' balanceAfter in posting order", async () => {
    const f = await fixture();
    const em = ctx.orm.em.fork();
    const wallets = [f.wallet.accountId];
    for (const name of ['Second', 'Third', 'Fourth', 'Fifth', 'Sixth', 'Seventh', 'Eighth']) {
      const partner = await createPartnerWorkspace(ctx, f.tenant.tenantId, name);
      wallets.push(
        (await findWallet(em, await createWallet(ctx, partner), { tenantId: f.tenant.tenantId }))!.accountId,
      );
    }
    // Deposits from FUNDING into different wallets: no wallet lock orders them, only the FUNDING row does.
    for (let round = 0; round < 5; round++) {
      await Promise.all(
        wallets.map((w, i) =>
          tx((e) => postImmediately(e, f.posting(randomUUID(), 'post', f.funding, w, BigInt(1_000 + i)))),
        ),
      );
    }
    expect((await checkLedger(ctx.orm.em.fork(), { tenantId: f.tenant.tenantId })).violations).toEqual([]);
  });

  it('the database itself refuses a wallet counter update that would go below zero', async () => {
    const f = await fixture();
    await expect(
      ctx.orm.em
        .fork()
        .execute('update ledger_account set debits_pending = 1 where id = ?', [f.wallet.accountId]),
    ).rejects.toThrow(/ledger_account_wallet_available_check/);
  });

  it('the ledger check (function and CLI) reports a corrupted account and an unbalanced tenant', async () => {
    const f = await fixture();
    await tx((em) =>
      postImmediately(em, f.posting(randomUUID(), 'post', f.funding, f.wallet.accountId, 500n)),
    );
    const cli = promisify(execFile);
    const env = { ...process.env, DATABASE_URL: ctx.config.DATABASE_URL, LOG_LEVEL: 'silent' };
    const args = ['exec', '--', 'tsx', 'scripts/ledger-check.ts', '--tenant', f.tenant.tenantId];
    expect((await cli('npm', args, { env })).stdout).toContain('ledger check passed');

    await ctx.orm.em
      .fork()
      .execute('update ledger_account set credits_posted = credits_posted + 7 where id = ?', [
        f.wallet.accountId,
      ]);
    const result = await checkLedger(ctx.orm.em.fork(), { tenantId: f.tenant.tenantId });
    expect(result.ok).toBe(false);
    expect(result.violations.join('\n')).toMatch(/debits equal credits/);
    expect(result.violations.join('\n')).toMatch(/counters equal the sum of their entries/);
    await expect(cli('npm', args, { env })).rejects.toMatchObject({ code: 1 });
  });
});
