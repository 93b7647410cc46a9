// SANDBOX_BANK payouts end to end: the simulated bank calls back over real HTTP into the app's callback route.
import { describe, expect, it } from 'vitest';
import { signCallback } from '../../domain/channels';
import { freePort } from '../../scripts/services';
import { useTestContext } from '../helpers/context';
import {
  fundedPartner,
  inquiryAfterBankDecided,
  payoutEnv,
  useServedApp,
  waitUntil,
} from '../helpers/payouts';
import { call, expectProblem } from '../helpers/http';
import {
  balance,
  bankTransfer,
  expectLedgerConsistent,
  postTransfer,
  waitForTransfer,
} from '../helpers/wallets';

const port = await freePort();
const ctx = useTestContext({
  env: payoutEnv(port, { SANDBOX_BANK_DELAY: '1500ms' }),
  // A loaded machine's timer may beat the simulated bank: the inquiry then waits for the bank's decision.
  activityOverrides: {
    inquireChannel: (input: { key: string; transferId: string }) =>
      inquiryAfterBankDecided(ctx).inquireChannel!(input as never),
  },
});
useServedApp(ctx, port);

async function settlementCredits(tenantId: string): Promise<string | undefined> {
  const [row] = await ctx.orm.em.fork().execute(
    `select sum(credits_posted)::text as credits_posted from ledger_account
        where tenant_id = ? and system_key like 'SETTLEMENT:SANDBOX_BANK#%'`,
    [tenantId],
  );
  return row?.credits_posted;
}

describe('SANDBOX_BANK transfers', () => {
  it('holds amount + fee (PROCESSING), then completes when the bank confirms through the signed callback', async () => {
    const { tenant, source, token } = await fundedPartner(ctx);
    const res = await postTransfer(ctx, token, bankTransfer(source, '12345678', 3_000));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ status: 'PROCESSING', amount: 3_000, fee: 100 });
    expect(await balance(ctx, token, source)).toMatchObject({
      available: 6_900,
      pending: 3_100,
      total: 10_000,
    });

    const done = await waitForTransfer(ctx, token, res.body.id);
    expect(done.status).toBe('COMPLETED');
    // A slow machine may reach the timeout first: the inquiry then finds the same confirmation.
    expect(done.events.map((e: any) => e.type).filter((t: string) => t !== 'CHANNEL_INQUIRED')).toEqual([
      'FUNDS_HELD',
      'SUBMITTED',
      'CHANNEL_ACCEPTED',
      'CHANNEL_CONFIRMED',
      'COMPLETED',
    ]);
    expect(await balance(ctx, token, source)).toMatchObject({ available: 6_900, pending: 0, total: 6_900 });
    expect(await settlementCredits(tenant.tenantId)).toBe('3000');
    const flows = await call(ctx, 'GET', `/v1/wallets/${source}/flows?direction=DEBIT`, { token });
    expect(flows.body.data.map((f: any) => [f.amount, f.balanceAfter, f.status])).toEqual([
      [100, 6_900, 'POSTED'],
      [3_000, 7_000, 'POSTED'],
    ]);
    // Visibility is eventually consistent: the final OperationStatus shows up shortly after completion.
    const handle = ctx.temporal.workflow.getHandle(`transfer-${res.body.id}`);
    await waitUntil(
      async () =>
        (await handle.describe()).typedSearchAttributes.get({
          name: 'OperationStatus',
          type: 'KEYWORD',
        } as never) === 'COMPLETED',
      'OperationStatus COMPLETED',
    );
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get({ name: 'TenantId', type: 'KEYWORD' } as never)).toBe(
      tenant.tenantId,
    );
    await expectLedgerConsistent(ctx, tenant.tenantId);
  });

  it('a rejection by the bank ends FAILED CHANNEL_REJECTED with the hold released', async () => {
    const { tenant, source, token } = await fundedPartner(ctx);
    const res = await postTransfer(ctx, token, bankTransfer(source, '000111222', 2_500));
    expect(res.body.status).toBe('PROCESSING');
    const done = await waitForTransfer(ctx, token, res.body.id);
    expect(done).toMatchObject({ status: 'FAILED', failureCode: 'CHANNEL_REJECTED' });
    expect(done.events.map((e: any) => e.type)).toContain('FUNDS_RELEASED');
    expect(await balance(ctx, token, source)).toMatchObject({ available: 10_000, pending: 0, total: 10_000 });
    const flows = await call(ctx, 'GET', `/v1/wallets/${source}/flows?direction=DEBIT`, { token });
    expect(flows.body.data.map((f: any) => [f.amount, f.status, f.balanceAfter])).toEqual([
      [100, 'VOIDED', null],
      [2_500, 'VOIDED', null],
    ]);
    expect(await settlementCredits(tenant.tenantId)).toBe('0');
    await expectLedgerConsistent(ctx, tenant.tenantId);
  });

  it('a bank that never confirms (999...) ends FAILED CHANNEL_TIMEOUT: inquired, recalled at the bank, hold released', async () => {
    const { tenant, source, token } = await fundedPartner(ctx);
    const res = await postTransfer(ctx, token, bankTransfer(source, '999000111', 4_000));
    expect(res.body.status).toBe('PROCESSING');
    const done = await waitForTransfer(ctx, token, res.body.id);
    expect(done).toMatchObject({ status: 'FAILED', failureCode: 'CHANNEL_TIMEOUT' });
    expect(done.events.map((e: any) => e.type)).toEqual(
      expect.arrayContaining(['CHANNEL_INQUIRED', 'CHANNEL_RECALLED', 'FUNDS_RELEASED']),
    );
    const [bank] = await ctx.orm.em
      .fork()
      .execute('select status from sandbox_bank_payout where transfer_id = ?', [res.body.id]);
    expect(bank).toEqual({ status: 'RECALLED' });
    expect(await balance(ctx, token, source)).toMatchObject({ available: 10_000, pending: 0 });
    expectProblem(
      await call(ctx, 'POST', `/v1/transfers/${res.body.id}/cancel`, { token }),
      409,
      'TRANSFER_NOT_CANCELLABLE',
    );
    await expectLedgerConsistent(ctx, tenant.tenantId);
  });

  it('a submitted transfer cannot be cancelled; channel in maintenance refuses new ones', async () => {
    const { tenant, source, token } = await fundedPartner(ctx);
    const res = await postTransfer(ctx, token, bankTransfer(source, '999000222', 1_000));
    expect(res.body.status).toBe('PROCESSING');
    await waitForSubmitted(res.body.id);
    expectProblem(
      await call(ctx, 'POST', `/v1/transfers/${res.body.id}/cancel`, { token }),
      409,
      'TRANSFER_NOT_CANCELLABLE',
    );
    await call(ctx, 'PATCH', '/v1/tenant/channel-products/SANDBOX_BANK', {
      token: tenant.admin.token,
      body: { status: 'MAINTENANCE' },
    });
    expectProblem(
      await postTransfer(ctx, token, bankTransfer(source, '12345678', 10)),
      422,
      'CHANNEL_UNAVAILABLE',
    );
    await waitForTransfer(ctx, token, res.body.id);
    expect(await balance(ctx, token, source)).toMatchObject({ available: 10_000, pending: 0 });
    await expectLedgerConsistent(ctx, tenant.tenantId);
  });

  it('the callback route refuses unsigned, wrongly signed and stale callbacks', async () => {
    const body = JSON.stringify({
      transferId: crypto.randomUUID(),
      status: 'CONFIRMED',
      bankReference: null,
      reason: null,
    });
    const send = (signature?: string) =>
      call(ctx, 'POST', '/v1/channels/sandbox-bank/callbacks', {
        rawBody: body,
        headers: {
          'content-type': 'application/json',
          ...(signature ? { 'x-channel-signature': signature } : {}),
        },
      });
    const now = Math.floor(Date.now() / 1000);
    expectProblem(await send(), 401, 'UNAUTHENTICATED');
    expectProblem(await send(signCallback('another-secret-entirely', body, now)), 401, 'UNAUTHENTICATED');
    expectProblem(
      await send(signCallback(ctx.config.CHANNEL_CALLBACK_SECRET, body, now - 3600)),
      401,
      'UNAUTHENTICATED',
    );
    expectProblem(await send(signCallback(ctx.config.CHANNEL_CALLBACK_SECRET, body, now)), 404, 'NOT_FOUND');
  });
});

async function waitForSubmitted(transferId: string) {
  for (let i = 0; i < 200; i++) {
    const [row] = await ctx.orm.em
      .fork()
      .execute('select submitted_at from transfer where id = ?', [transferId]);
    if (row?.submitted_at) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('never submitted');
}
