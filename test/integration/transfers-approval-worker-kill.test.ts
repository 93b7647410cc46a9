// The worker dies while a transfer waits for approval (and again while the decision is being applied); the
// approval sent meanwhile is applied once by a fresh worker, and the transfer completes with a consistent ledger.
import { Context } from '@temporalio/activity';
import { describe, expect, it } from 'vitest';
import { approvalSetup, approve, transferAudit, transferEvents } from '../helpers/approvals';
import { useTestContext } from '../helpers/context';
import { realActivities, stopWorker, usePayoutHarness } from '../helpers/payouts';
import { freePort } from '../../scripts/services';
import {
  balance,
  expectLedgerConsistent,
  postTransfer,
  waitForTransfer,
  walletTransfer,
} from '../helpers/wallets';

const port = await freePort();
const ctx = useTestContext({
  worker: false,
  env: { TRANSFER_APPROVAL_TTL: '10m', PUBLIC_API_URL: `http://127.0.0.1:${port}` },
});
const harness = usePayoutHarness(ctx, port);

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
});
