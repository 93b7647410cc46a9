// The worker dies while a transfer waits for approval (and again while the decision is being applied); the
// approval sent meanwhile is applied once by a fresh worker, and the transfer completes with a consistent ledger.
// Also the external path after a decision: approved payouts go to the (sandbox) bank, rejected ones never do.
import { Context } from '@temporalio/activity';
import { describe, expect, it } from 'vitest';
import { approvalSetup, approve, transferAudit, transferEvents } from '../helpers/approvals';
import { call } from '../helpers/http';
import { bankRecord, realActivities, stopWorker, usePayoutContext } from '../helpers/payouts';
import {
  balance,
  bankTransfer,
  expectLedgerConsistent,
  postTransfer,
  waitForTransfer,
  walletTransfer,
} from '../helpers/wallets';

const { ctx, harness } = await usePayoutContext({
  TRANSFER_APPROVAL_TTL: '10m',
  CHANNEL_CONFIRM_TIMEOUT: '30s',
});

describe('killing the worker while a transfer waits for approval', () => {
  it('the decision sent while no worker runs is applied once by the next worker', async () => {
    const first = await harness.startWorker();
    const s = await approvalSetup(ctx);
    const res = await postTransfer(ctx, s.initiator.token, walletTransfer(s.source, s.dest, 6_000));
    expect(res.body.status).toBe('PENDING_APPROVAL');
    const id = res.body.id;
    await stopWorker(first);

    // The approval waits for a worker; the second worker dies inside the decision's activity.
    const decision = approve(ctx, s.finance.token, id);
    let entered!: () => void;
    const reached = new Promise<void>((resolve) => (entered = resolve));
    const real = realActivities(ctx) as unknown as Record<string, (input: any) => Promise<any>>;
    const doomed = await harness.startWorker({
      applyTransferApproval: async (input: any) => {
        entered();
        await Context.current().cancelled;
        return real.applyTransferApproval!(input);
      },
    });
    await reached;
    await stopWorker(doomed);
    await harness.startWorker();

    const answer = await decision;
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect((await waitForTransfer(ctx, s.initiator.token, id)).status).toBe('COMPLETED');
    const events = await transferEvents(ctx, s.initiator.token, id);
    expect(events.map((e) => e.type)).toEqual(['FUNDS_HELD', 'APPROVAL_REQUESTED', 'APPROVED', 'COMPLETED']);
    expect((await transferAudit(ctx, id)).filter((a) => a.action === 'transfer.approved')).toHaveLength(1);
    expect(await balance(ctx, s.initiator.token, s.source)).toMatchObject({ available: 94_000, pending: 0 });
    await expectLedgerConsistent(ctx, s.tenant.tenantId);
  });

  it('external payouts: approved ones go to the bank and complete, rejected ones never reach it', async () => {
    await harness.startWorker();
    const s = await approvalSetup(ctx);
    const approvedRes = await postTransfer(ctx, s.initiator.token, bankTransfer(s.source, '12345678', 2_000));
    const rejectedRes = await postTransfer(ctx, s.initiator.token, bankTransfer(s.source, '12345678', 3_000));
    expect([approvedRes.body.status, rejectedRes.body.status]).toEqual([
      'PENDING_APPROVAL',
      'PENDING_APPROVAL',
    ]);
    expect(await bankRecord(ctx, approvedRes.body.id)).toBeUndefined();

    const approved = await approve(ctx, s.finance.token, approvedRes.body.id);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(['PROCESSING', 'COMPLETED']).toContain(approved.body.status);
    const rejected = await call(ctx, 'POST', `/v1/transfers/${rejectedRes.body.id}/reject`, {
      token: s.finance.token,
      body: { reason: 'unknown beneficiary' },
    });
    expect(rejected.body).toMatchObject({ status: 'FAILED', failureCode: 'APPROVAL_REJECTED' });

    expect((await waitForTransfer(ctx, s.initiator.token, approvedRes.body.id)).status).toBe('COMPLETED');
    expect(await bankRecord(ctx, approvedRes.body.id)).toBeDefined();
    expect(await bankRecord(ctx, rejectedRes.body.id)).toBeUndefined();
    expect(await balance(ctx, s.initiator.token, s.source)).toMatchObject({ available: 98_000, pending: 0 });
    await expectLedgerConsistent(ctx, s.tenant.tenantId);
  });
});
