// The transfer workflow's orchestration with mocked activities on the real Temporal dev server:
// refusals answer the update, a rejection or silence from the channel releases the hold.
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { channelResultSignal, holdOutcomeUpdate, type TransferRequest } from '../../domain/transfers';
import type { executeTransferWorkflow } from '../../workflows/execute-transfer';
import { useTestContext } from '../helpers/context';

// Each test waits for real timers on a shared, possibly loaded machine.
vi.setConfig({ testTimeout: 180_000 });
const ctx = useTestContext({ worker: false });
let worker: Worker | null = null;

afterEach(async () => {
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  while (worker && !['STOPPED', 'FAILED'].includes(worker.getState()))
    await new Promise((r) => setTimeout(r, 50));
  worker = null;
});

function request(): TransferRequest {
  return {
    transferId: randomUUID(),
    tenantId: randomUUID(),
    workspaceId: randomUUID(),
    actorUserId: null,
    sourceWalletId: randomUUID(),
    amount: '100',
    currency: 'USD',
    destination: {
      type: 'CHANNEL',
      channelProductCode: 'SANDBOX_BANK',
      beneficiary: { name: 'B', accountNumber: '1234' },
    },
    reference: null,
    memo: null,
    idempotencyKey: 'k',
  };
}

/** A payout held for the channel and accepted by its submission. */
function submittedPayout(record: ReturnType<typeof recorder>['record']) {
  return {
    holdTransferFunds: record('hold', {
      route: 'EXTERNAL',
      channelProductCode: 'SANDBOX_BANK',
      fee: '0',
      status: 'PROCESSING',
    }),
    submitToChannel: record('submit', { cancelled: false }),
  };
}

async function start(req: TransferRequest, confirmTimeoutMs = 60_000) {
  const op = new WithStartWorkflowOperation<typeof executeTransferWorkflow>('executeTransferWorkflow', {
    taskQueue: ctx.taskQueue,
    workflowId: `transfer-${req.transferId}`,
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [{ request: req, confirmTimeoutMs }],
  });
  const outcome = await ctx.temporal.workflow.executeUpdateWithStart(holdOutcomeUpdate, {
    startWorkflowOperation: op,
  });
  return { outcome, handle: await op.workflowHandle() };
}

function recorder() {
  const calls: { name: string; input: any }[] = [];
  const record = (name: string, result?: unknown) => async (input: unknown) => {
    calls.push({ name, input });
    return result;
  };
  return { calls, record };
}

describe('executeTransferWorkflow', () => {
  it('answers a refusal through the update and touches nothing else', async () => {
    const { calls, record } = recorder();
    worker = await ctx.startWorker({
      holdTransferFunds: async () => {
        throw ApplicationFailure.nonRetryable('no money', 'INSUFFICIENT_FUNDS');
      },
      releaseTransfer: record('releaseTransfer'),
      postTransfer: record('postTransfer'),
    });
    const { outcome, handle } = await start(request());
    expect(outcome).toEqual({ ok: false, code: 'INSUFFICIENT_FUNDS', message: 'no money' });
    expect(await handle.result()).toEqual(outcome);
    expect(calls).toEqual([]);
  });

  it('releases the hold as CHANNEL_REJECTED when the channel signals a rejection', async () => {
    const { calls, record } = recorder();
    worker = await ctx.startWorker({
      ...submittedPayout(record),
      releaseTransfer: record('releaseTransfer'),
      postTransfer: record('postTransfer'),
    });
    const req = request();
    const { outcome, handle } = await start(req);
    expect(outcome).toEqual({ ok: true, transferId: req.transferId });
    await handle.signal(channelResultSignal, {
      status: 'REJECTED',
      bankReference: 'X',
      reason: 'closed account',
    });
    await handle.result();
    expect(calls.map((c) => c.name)).toEqual(['hold', 'submit', 'releaseTransfer']);
    expect(calls[2]!.input).toMatchObject({
      status: 'FAILED',
      failureCode: 'CHANNEL_REJECTED',
      failureMessage: 'closed account',
    });
  });

  it('on timeout inquires, recalls a pending payout and releases it as CHANNEL_TIMEOUT; posts on confirmation', async () => {
    const { calls, record } = recorder();
    worker = await ctx.startWorker({
      ...submittedPayout(record),
      inquireChannel: record('inquire', { status: 'PENDING', bankReference: null, reason: null }),
      recallPayout: record('recall', { status: 'RECALLED' }),
      releaseTransfer: record('releaseTransfer'),
      postTransfer: record('postTransfer'),
    });
    const silent = await start(request(), 500);
    await silent.handle.result();
    expect(calls.map((c) => c.name)).toEqual(['hold', 'submit', 'inquire', 'recall', 'releaseTransfer']);
    expect(calls[4]!.input).toMatchObject({ status: 'FAILED', failureCode: 'CHANNEL_TIMEOUT' });

    calls.length = 0;
    const confirmed = await start(request());
    await confirmed.handle.signal(channelResultSignal, {
      status: 'CONFIRMED',
      bankReference: 'B-1',
      reason: null,
    });
    await confirmed.handle.result();
    expect(calls.map((c) => c.name)).toEqual(['hold', 'submit', 'postTransfer']);
  });
});

describe('executeTransferWorkflow recalling a payout', () => {
  it("ends CHANNEL_TIMEOUT when the bank's record of its own recall reaches it while the recall runs", async () => {
    const { calls, record } = recorder();
    let handle: Awaited<ReturnType<typeof start>>['handle'] | null = null;
    worker = await ctx.startWorker({
      ...submittedPayout(record),
      inquireChannel: record('inquire', { status: 'PENDING', bankReference: null, reason: null }),
      // The reconciliation delivers the bank's record ("recalled by the sender") before the recall answers.
      recallPayout: async (input: unknown) => {
        calls.push({ name: 'recall', input });
        await handle!.signal(channelResultSignal, {
          status: 'REJECTED',
          bankReference: 'SBX-1',
          reason: 'recalled by the sender',
        });
        return { status: 'RECALLED' };
      },
      releaseTransfer: record('releaseTransfer'),
    });
    const started = await start(request(), 500);
    handle = started.handle;
    await handle.result();
    expect(calls.map((c) => c.name)).toEqual(['hold', 'submit', 'inquire', 'recall', 'releaseTransfer']);
    expect(calls[4]!.input).toMatchObject({ status: 'FAILED', failureCode: 'CHANNEL_TIMEOUT' });
  });
});

describe('executeTransferWorkflow after a confirmation timeout', () => {
  const held = { route: 'EXTERNAL', channelProductCode: 'SANDBOX_BANK', fee: '0', status: 'PROCESSING' };

  it('posts when the inquiry finds the payout CONFIRMED, never recalling it', async () => {
    const { calls, record } = recorder();
    worker = await ctx.startWorker({
      holdTransferFunds: record('hold', held),
      submitToChannel: record('submit', { cancelled: false }),
      inquireChannel: record('inquire', { status: 'CONFIRMED', bankReference: 'B-2', reason: null }),
      recallPayout: record('recall', { status: 'RECALLED' }),
      releaseTransfer: record('releaseTransfer'),
      postTransfer: record('postTransfer'),
    });
    const { handle } = await start(request(), 300);
    await handle.result();
    expect(calls.map((c) => c.name)).toEqual(['hold', 'submit', 'inquire', 'postTransfer']);
  });

  it('releases as CHANNEL_REJECTED when the inquiry finds the payout REJECTED', async () => {
    const { calls, record } = recorder();
    worker = await ctx.startWorker({
      holdTransferFunds: record('hold', held),
      submitToChannel: record('submit', { cancelled: false }),
      inquireChannel: record('inquire', { status: 'REJECTED', bankReference: 'B-3', reason: 'closed' }),
      releaseTransfer: record('releaseTransfer'),
      postTransfer: record('postTransfer'),
    });
    const { handle } = await start(request(), 300);
    await handle.result();
    expect(calls.map((c) => c.name)).toEqual(['hold', 'submit', 'inquire', 'releaseTransfer']);
    expect(calls[3]!.input).toMatchObject({ failureCode: 'CHANNEL_REJECTED' });
  });

  it('after a TOO_LATE recall keeps the hold, asks again, and posts once the bank confirms', async () => {
    const { calls, record } = recorder();
    let inquiries = 0;
    worker = await ctx.startWorker({
      holdTransferFunds: record('hold', held),
      submitToChannel: record('submit', { cancelled: false }),
      inquireChannel: async () => {
        inquiries += 1;
        calls.push({ name: 'inquire', input: null });
        const status = inquiries < 3 ? 'PENDING' : 'CONFIRMED';
        return { status, bankReference: 'B-4', reason: null };
      },
      recallPayout: record('recall', { status: 'TOO_LATE' }),
      releaseTransfer: record('releaseTransfer'),
      postTransfer: record('postTransfer'),
    });
    const { handle } = await start(request(), 300);
    await handle.result();
    expect(calls.map((c) => c.name)).toEqual([
      'hold',
      'submit',
      'inquire',
      'recall',
      'inquire',
      'inquire',
      'postTransfer',
    ]);
  });
});
