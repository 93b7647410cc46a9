// Payout verdicts on real Temporal + PostgreSQL: a timeout asks the bank instead of releasing blindly; lost and
// duplicated callbacks; a TOO_LATE recall (paid, or already rejected); a confirmation contradicting a released transfer is corrected.
import { describe, expect, it } from 'vitest';
import { decideBankPayout } from '../../db/store/payouts';
import { checkLedger } from '../../db/store/ledger-check';
import {
  bankRecord,
  eventTypes,
  expectAgreesWithBank,
  fundedPartner,
  holdsOf,
  inquiryOnceDecided,
  realActivities,
  sendCallback,
  transferRow,
  usePayoutContext,
  verdictsOf,
  waitUntil,
  type Overrides,
} from '../helpers/payouts';
import {
  balance,
  bankTransfer,
  expectLedgerConsistent,
  postTransfer,
  waitForTransfer,
} from '../helpers/wallets';

const { ctx, harness } = await usePayoutContext();

type Settle = ReturnType<typeof realActivities>['settleSandboxBankPayout'];

/** The bank decides as usual, but its callback suffers `fault`. */
function callbackFault(fault: 'LOST' | 'DUPLICATED'): Overrides {
  const real = realActivities(ctx);
  return {
    ...inquiryOnceDecided(ctx),
    settleSandboxBankPayout: async (input: Parameters<Settle>[0]) => ({
      ...(await real.settleSandboxBankPayout(input)),
      fault,
      extraDelayMs: 0,
    }),
  };
}

async function start(accountNumber: string, amount = 3_000) {
  const s = await fundedPartner(ctx);
  const res = await postTransfer(ctx, s.token, bankTransfer(s.source, accountNumber, amount));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { ...s, transferId: res.body.id as string };
}

describe('payout verdicts', () => {
  it('timeout then inquiry CONFIRMED -> COMPLETED: a lost callback is found by the inquiry', async () => {
    await harness.startWorker(callbackFault('LOST'));
    const s = await start('12345678');
    const done = await waitForTransfer(ctx, s.token, s.transferId);
    expect(done.status).toBe('COMPLETED');
    expect(done.events.map((e: any) => e.type)).toEqual([
      'FUNDS_HELD',
      'SUBMITTED',
      'CHANNEL_ACCEPTED',
      'CHANNEL_INQUIRED',
      'CHANNEL_CONFIRMED',
      'COMPLETED',
    ]);
    expect(await bankRecord(ctx, s.transferId)).toEqual({ status: 'CONFIRMED', callbacks_sent: 0 });
    expect(await verdictsOf(ctx, s.transferId)).toEqual([
      { verdict: 'CONFIRMED', source: 'INQUIRY', deliveries: 1, contradicted: false },
    ]);
    expect(await balance(ctx, s.token, s.source)).toMatchObject({ available: 6_900, pending: 0 });
    await expectLedgerConsistent(ctx, s.tenant.tenantId);
  });

  it('timeout, PENDING at the bank, recall -> FAILED CHANNEL_TIMEOUT with the hold released', async () => {
    await harness.startWorker();
    const s = await start('999000111');
    const done = await waitForTransfer(ctx, s.token, s.transferId);
    expect(done).toMatchObject({ status: 'FAILED', failureCode: 'CHANNEL_TIMEOUT' });
    expect(done.events.map((e: any) => e.type)).toEqual([
      'FUNDS_HELD',
      'SUBMITTED',
      'CHANNEL_ACCEPTED',
      'CHANNEL_INQUIRED',
      'CHANNEL_RECALLED',
      'CHANNEL_TIMEOUT',
      'FUNDS_RELEASED',
      'FAILED',
    ]);
    expect((await bankRecord(ctx, s.transferId))?.status).toBe('RECALLED');
    expect(await holdsOf(ctx, s.transferId)).toEqual([{ step: 'hold', status: 'VOIDED' }]);
    expect(await balance(ctx, s.token, s.source)).toMatchObject({ available: 10_000, pending: 0 });
    await expectLedgerConsistent(ctx, s.tenant.tenantId);
  });

  it('recall TOO_LATE: the hold stays while the bank has paid, and the transfer completes when the verdict comes', async () => {
    const real = realActivities(ctx);
    await harness.startWorker({
      ...callbackFault('LOST'),
      // The bank's status desk lags: it still answers PENDING although the payout is paid.
      inquireChannel: async () => ({ status: 'PENDING', bankReference: null, reason: null }),
      recallPayout: async (input: { key: string; transferId: string }) => {
        await waitUntil(
          async () => (await bankRecord(ctx, input.transferId))?.status === 'CONFIRMED',
          'payment',
        );
        return real.recallPayout(input);
      },
    });
    const s = await start('12345678');
    await waitUntil(
      async () => (await eventTypes(ctx, s.transferId)).includes('CHANNEL_RECALL_TOO_LATE'),
      'the TOO_LATE answer',
    );
    expect((await transferRow(ctx, s.transferId)).status).toBe('PROCESSING');
    expect(await balance(ctx, s.token, s.source)).toMatchObject({ available: 6_900, pending: 3_100 });
    const handle = ctx.temporal.workflow.getHandle(`transfer-${s.transferId}`);
    await waitUntil(
      async () =>
        (await handle.describe()).typedSearchAttributes.get({
          name: 'OperationStatus',
          type: 'KEYWORD',
        } as never) === 'AWAITING_CHANNEL',
      'the AWAITING_CHANNEL status',
    );

    expect(await sendCallback(ctx, s.transferId, 'CONFIRMED')).toEqual({ received: true, duplicate: false });
    const done = await waitForTransfer(ctx, s.token, s.transferId);
    expect(done.status).toBe('COMPLETED');
    expect(await holdsOf(ctx, s.transferId)).toEqual([{ step: 'hold', status: 'POSTED' }]);
    await expectAgreesWithBank(ctx, s.transferId);
    await expectLedgerConsistent(ctx, s.tenant.tenantId);
  });

  it('a recall after the bank rejected is TOO_LATE: the rejection stands and the transfer ends CHANNEL_REJECTED', async () => {
    const real = realActivities(ctx);
    let inquiries = 0;
    await harness.startWorker({
      ...callbackFault('LOST'),
      // The first inquiry lags (PENDING) although the bank has decided; later ones read the bank's record.
      inquireChannel: async (input: { key: string; transferId: string }) =>
        ++inquiries === 1
          ? { status: 'PENDING' as const, bankReference: null, reason: null }
          : real.inquireChannel(input),
      recallPayout: async (input: { key: string; transferId: string }) => {
        await waitUntil(
          async () => (await bankRecord(ctx, input.transferId))?.status === 'REJECTED',
          'the rejection',
        );
        return real.recallPayout(input);
      },
    });
    const s = await start('000111222');
    const done = await waitForTransfer(ctx, s.token, s.transferId);
    expect(done).toMatchObject({ status: 'FAILED', failureCode: 'CHANNEL_REJECTED' });
    expect(done.events.map((e: any) => e.type)).toContain('CHANNEL_RECALL_TOO_LATE');
    expect((await bankRecord(ctx, s.transferId))?.status).toBe('REJECTED');
    expect(await holdsOf(ctx, s.transferId)).toEqual([{ step: 'hold', status: 'VOIDED' }]);
    expect(await balance(ctx, s.token, s.source)).toMatchObject({ available: 10_000, pending: 0 });
    await expectLedgerConsistent(ctx, s.tenant.tenantId);
  });

  it('a duplicated callback is stored once, counted twice and applied once', async () => {
    await harness.startWorker(callbackFault('DUPLICATED'));
    const s = await start('12345678');
    await waitForTransfer(ctx, s.token, s.transferId);
    await waitUntil(
      async () => (await bankRecord(ctx, s.transferId))?.callbacks_sent === 2,
      'both callbacks',
    );
    const verdicts = await verdictsOf(ctx, s.transferId);
    expect(verdicts).toHaveLength(1);
    // Both callbacks count as deliveries (an inquiry on a slow machine may add one more).
    expect(verdicts[0]).toMatchObject({ verdict: 'CONFIRMED', contradicted: false });
    expect(verdicts[0]!.deliveries).toBeGreaterThanOrEqual(2);
    expect((await transferRow(ctx, s.transferId)).status).toBe('COMPLETED');
    expect(await holdsOf(ctx, s.transferId)).toEqual([{ step: 'hold', status: 'POSTED' }]);
    expect(await balance(ctx, s.token, s.source)).toMatchObject({
      available: 6_900,
      pending: 0,
      total: 6_900,
    });
    // A third delivery of the same verdict is answered as a duplicate and changes nothing.
    expect(await sendCallback(ctx, s.transferId, 'CONFIRMED')).toEqual({ received: true, duplicate: true });
    expect(await balance(ctx, s.token, s.source)).toMatchObject({
      available: 6_900,
      pending: 0,
      total: 6_900,
    });
    await expectLedgerConsistent(ctx, s.tenant.tenantId);
  });

  it('a confirmation after a forced void: stored, corrected from the wallet, alert raised, ledger check passes', async () => {
    await harness.startWorker(inquiryOnceDecided(ctx));
    const s = await start('999000222');
    // A wrong rejection forces the void while the bank still holds the payout.
    await sendCallback(ctx, s.transferId, 'REJECTED');
    const failed = await waitForTransfer(ctx, s.token, s.transferId);
    expect(failed).toMatchObject({ status: 'FAILED', failureCode: 'CHANNEL_REJECTED' });
    expect(await balance(ctx, s.token, s.source)).toMatchObject({ available: 10_000, pending: 0 });

    // The bank pays after all and says so.
    await decideBankPayout(ctx.orm.em.fork(), s.transferId, 'CONFIRMED');
    expect(await sendCallback(ctx, s.transferId, 'CONFIRMED')).toEqual({ received: true, duplicate: false });
    const alert = ctx.temporal.workflow.getHandle(`payout-verdict-${s.transferId}-confirmed`);
    expect(await alert.result()).toEqual({ kind: 'CORRECTED', from: 'WALLET', amount: '3000' });
    const attrs = (await alert.describe()).typedSearchAttributes;
    expect(attrs.get({ name: 'NeedsAttention', type: 'KEYWORD' } as never)).toBe('CONTRADICTING_VERDICT');
    expect(attrs.get({ name: 'TenantId', type: 'KEYWORD' } as never)).toBe(s.tenant.tenantId);

    expect(await balance(ctx, s.token, s.source)).toMatchObject({
      available: 7_000,
      pending: 0,
      total: 7_000,
    });
    expect(await holdsOf(ctx, s.transferId)).toEqual([
      { step: 'correction', status: 'POSTED' },
      { step: 'hold', status: 'VOIDED' },
    ]);
    expect(await eventTypes(ctx, s.transferId)).toEqual(
      expect.arrayContaining(['VERDICT_CONTRADICTED', 'CORRECTION_POSTED']),
    );
    expect(await verdictsOf(ctx, s.transferId)).toEqual([
      { verdict: 'REJECTED', source: 'CALLBACK', deliveries: 1, contradicted: false },
      { verdict: 'CONFIRMED', source: 'CALLBACK', deliveries: 1, contradicted: true },
    ]);
    const audit = await ctx.orm.em
      .fork()
      .execute(`select data from audit_log where action = 'payout.verdict_contradicted' and target_id = ?`, [
        s.transferId,
      ]);
    expect(audit).toHaveLength(1);
    // The same confirmation again corrects nothing more.
    expect(await sendCallback(ctx, s.transferId, 'CONFIRMED')).toMatchObject({ duplicate: true });
    await ctx.temporal.workflow.getHandle(`payout-verdict-${s.transferId}-confirmed`).result();
    expect(await balance(ctx, s.token, s.source)).toMatchObject({ available: 7_000, total: 7_000 });
    expect((await checkLedger(ctx.orm.em.fork(), { tenantId: s.tenant.tenantId })).violations).toEqual([]);
  });

  it('a confirmation after a forced void that the wallet cannot cover is charged to PAYOUT_RECEIVABLE', async () => {
    await harness.startWorker(inquiryOnceDecided(ctx));
    const s = await start('999000333', 9_900);
    await sendCallback(ctx, s.transferId, 'REJECTED');
    await waitForTransfer(ctx, s.token, s.transferId);
    const spend = await postTransfer(ctx, s.token, bankTransfer(s.source, '12345678', 9_900));
    expect((await waitForTransfer(ctx, s.token, spend.body.id)).status).toBe('COMPLETED');

    await decideBankPayout(ctx.orm.em.fork(), s.transferId, 'CONFIRMED');
    await sendCallback(ctx, s.transferId, 'CONFIRMED');
    const alert = ctx.temporal.workflow.getHandle(`payout-verdict-${s.transferId}-confirmed`);
    expect(await alert.result()).toEqual({ kind: 'CORRECTED', from: 'RECEIVABLE', amount: '9900' });
    const [receivable] = await ctx.orm.em
      .fork()
      .execute(
        `select debits_posted from ledger_account where tenant_id = ? and system_key = 'PAYOUT_RECEIVABLE'`,
        [s.tenant.tenantId],
      );
    expect(receivable).toEqual({ debits_posted: '9900' });
    expect(await balance(ctx, s.token, s.source)).toMatchObject({ available: 0 });
    await expectLedgerConsistent(ctx, s.tenant.tenantId);
  });
});
