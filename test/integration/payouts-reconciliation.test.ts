// The scheduled payout reconciliation on real Temporal + PostgreSQL: it delivers the bank's verdict to a payout
// stuck past its timeout, corrects a released payout the bank paid (callback lost), and reports the rest.
import { describe, expect, it } from 'vitest';
import { decideBankPayout } from '../../db/store/payouts';
import type { ReconciliationReport } from '../../domain/payouts/contract';
import {
  bankRecord,
  eventTypes,
  fundedPartner,
  realActivities,
  sendCallback,
  usePayoutContext,
  verdictsOf,
  waitUntil,
} from '../helpers/payouts';
import {
  balance,
  bankTransfer,
  expectLedgerConsistent,
  postTransfer,
  waitForTransfer,
} from '../helpers/wallets';

const { ctx, harness } = await usePayoutContext();

function reconcile() {
  return ctx.temporal.workflow.execute('reconcilePayoutsWorkflow', {
    taskQueue: ctx.taskQueue,
    workflowId: `payout-reconciliation-test-${crypto.randomUUID()}`,
    args: [{ stuckAfterMs: 1_000, closedWithinMs: 3_600_000 }],
  }) as Promise<ReconciliationReport>;
}

describe('payout reconciliation', () => {
  it('delivers the bank verdict to a stuck payout and corrects a contradicted one; a second run finds nothing', async () => {
    const real = realActivities(ctx);
    await harness.startWorker({
      // Every callback is lost, and the transfers' own inquiries see a lagging PENDING until the bank paid.
      settleSandboxBankPayout: async (input: Parameters<typeof real.settleSandboxBankPayout>[0]) => ({
        ...(await real.settleSandboxBankPayout(input)),
        fault: 'LOST' as const,
      }),
      inquireChannel: async (input: { key: string; transferId: string }) => {
        if (!input.key.startsWith('transfer-')) return real.inquireChannel(input);
        // Asked only once the bank paid or the test's callback is stored (a loaded machine's timer may be early).
        await waitUntil(
          async () =>
            (await bankRecord(ctx, input.transferId))?.status === 'CONFIRMED' ||
            (await verdictsOf(ctx, input.transferId)).length > 0,
          'the bank or a verdict',
        );
        return { status: 'PENDING', bankReference: null, reason: null };
      },
      recallPayout: async (input: { key: string; transferId: string }) => {
        const account = await ctx.orm.em
          .fork()
          .execute(`select destination->'beneficiary'->>'accountNumber' as n from transfer where id = ?`, [
            input.transferId,
          ]);
        if (!String(account[0]!.n).startsWith('999')) {
          await waitUntil(
            async () => (await bankRecord(ctx, input.transferId))?.status === 'CONFIRMED',
            'payment',
          );
        }
        return real.recallPayout(input);
      },
    });
    const s = await fundedPartner(ctx, 20_000);
    // 1: paid by the bank, its callback lost, the recall TOO_LATE: stuck PROCESSING until reconciled.
    const stuck = (await postTransfer(ctx, s.token, bankTransfer(s.source, '12345678', 1_000))).body.id;
    // 2: wrongly rejected (forced void), then paid by the bank with the callback lost.
    const voided = (await postTransfer(ctx, s.token, bankTransfer(s.source, '999000444', 2_000))).body.id;
    await sendCallback(ctx, voided, 'REJECTED');
    await waitForTransfer(ctx, s.token, voided);
    await decideBankPayout(ctx.orm.em.fork(), voided, 'CONFIRMED');
    await waitUntil(
      async () => (await eventTypes(ctx, stuck)).includes('CHANNEL_RECALL_TOO_LATE'),
      'TOO_LATE',
    );

    const report = await reconcile();
    const mine = (items: ReconciliationReport['repaired']) =>
      items
        .filter((i) => i.transferId === stuck || i.transferId === voided)
        .map((i) => [i.transferId, i.finding]);
    expect(mine(report.repaired).sort()).toEqual(
      [
        [stuck, 'VERDICT_DELIVERED'],
        [voided, 'CORRECTED'],
      ].sort(),
    );
    expect((await waitForTransfer(ctx, s.token, stuck)).status).toBe('COMPLETED');
    expect(await eventTypes(ctx, voided)).toEqual(expect.arrayContaining(['CORRECTION_POSTED']));
    // 20,000 - (1,000 + 100) paid - 2,000 corrected (fee waived on the correction)
    expect(await balance(ctx, s.token, s.source)).toMatchObject({ available: 16_900, pending: 0 });
    await expectLedgerConsistent(ctx, s.tenant.tenantId);

    // A second run finds nothing more to repair for these two.
    const again = await reconcile();
    expect(mine(again.repaired)).toEqual([]);
    expect(mine(again.unresolved)).toEqual([]);
  });

  it('reports a payout whose workflow is gone and flags the run NeedsAttention', async () => {
    await harness.startWorker();
    const s = await fundedPartner(ctx);
    const id = (await postTransfer(ctx, s.token, bankTransfer(s.source, '999000555', 500))).body.id;
    await waitUntil(async () => (await eventTypes(ctx, id)).includes('CHANNEL_ACCEPTED'), 'submission');
    await ctx.temporal.workflow.getHandle(`transfer-${id}`).terminate('lost by an operator (test)');
    await decideBankPayout(ctx.orm.em.fork(), id, 'CONFIRMED');
    const handle = await ctx.temporal.workflow.start('reconcilePayoutsWorkflow', {
      taskQueue: ctx.taskQueue,
      workflowId: `payout-reconciliation-test-${crypto.randomUUID()}`,
      args: [{ stuckAfterMs: 0, closedWithinMs: 3_600_000 }],
    });
    const report = (await handle.result()) as ReconciliationReport;
    expect(report.unresolved.filter((i) => i.transferId === id)).toEqual([
      { transferId: id, finding: 'WORKFLOW_MISSING', detail: expect.stringContaining('CONFIRMED') },
    ]);
    const attrs = (await handle.describe()).typedSearchAttributes;
    expect(attrs.get({ name: 'NeedsAttention', type: 'KEYWORD' } as never)).toBe('UNRESOLVED_PAYOUTS');
  });
});
