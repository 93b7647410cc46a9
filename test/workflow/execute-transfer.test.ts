// The transfer workflow's orchestration with mocked activities on the real Temporal dev server:
// refusals answer the update, a rejection or silence from the channel releases the hold.
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { afterEach, describe, expect, it } from 'vitest';
import type { TransferRequest } from '../../domain/ledger';
import {
  channelResultSignal,
  holdOutcomeUpdate,
  type executeTransferWorkflow,
} from '../../workflows/execute-transfer';
import { useTestContext } from '../helpers/context';

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
      holdTransferFunds: record('hold', {
        route: 'EXTERNAL',
        channelProductCode: 'SANDBOX_BANK',
        fee: '0',
        status: 'PROCESSING',
      }),
      submitToChannel: record('submit', { cancelled: false }),
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

  it('releases the hold as CHANNEL_TIMEOUT when no confirmation arrives in time, and posts on confirmation', async () => {
    const { calls, record } = recorder();
    worker = await ctx.startWorker({
      holdTransferFunds: record('hold', {
        route: 'EXTERNAL',
        channelProductCode: 'SANDBOX_BANK',
        fee: '0',
        status: 'PROCESSING',
      }),
      submitToChannel: record('submit', { cancelled: false }),
      releaseTransfer: record('releaseTransfer'),
      postTransfer: record('postTransfer'),
    });
    const silent = await start(request(), 500);
    await silent.handle.result();
    expect(calls.map((c) => c.name)).toEqual(['hold', 'submit', 'releaseTransfer']);
    expect(calls[2]!.input).toMatchObject({ status: 'FAILED', failureCode: 'CHANNEL_TIMEOUT' });

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
