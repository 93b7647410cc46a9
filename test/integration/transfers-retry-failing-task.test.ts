// A client retrying an Idempotency-Key while the transfer's workflow task is being retried after worker crashes
// (Temporal then refuses updates: "Workflow Task in failed state") gets a retryable 503, never a 500, never a
// second transfer; once a worker runs again the same key answers the same transfer.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { temporal as proto } from '@temporalio/proto';
import { transferIdFor, transferWorkflowId } from '../../domain/transfers';
import { useTestContext, type TestContext } from '../helpers/context';
import { expectProblem } from '../helpers/http';
import { realActivities, stopWorker } from '../helpers/payouts';
import {
  bankTransfer,
  expectLedgerConsistent,
  fundedWalletPair,
  postTransfer,
  waitForTransfer,
  walletTransfer,
} from '../helpers/wallets';

const ctx = useTestContext({ worker: false });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Plays a crashing worker: takes the next workflow task of the queue and fails it (as a crash or a bug would). */
async function failNextWorkflowTask(c: TestContext, workflowId: string): Promise<number> {
  const service = c.temporal.workflowService;
  for (;;) {
    const task = await c.temporal.connection.withDeadline(Date.now() + 30_000, () =>
      service.pollWorkflowTaskQueue({
        namespace: 'default',
        taskQueue: { name: c.taskQueue, kind: proto.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        identity: 'crashing-worker',
      }),
    );
    if (!task.taskToken?.length) continue; // long poll ended empty
    await service.respondWorkflowTaskFailed({
      namespace: 'default',
      taskToken: task.taskToken,
      cause:
        proto.api.enums.v1.WorkflowTaskFailedCause
          .WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE,
      identity: 'crashing-worker',
    });
    // Another workflow of this queue (an event dispatch of an earlier test): failed too, retried later.
    if (task.workflowExecution?.workflowId !== workflowId) continue;
    return task.attempt ?? 0;
  }
}

describe('a retried Idempotency-Key while the workflow task is failing', () => {
  it('answers 503 with Retry-After (not 500), then the same transfer once a worker runs again', async () => {
    const { tenant, partner, source, dest } = await fundedWalletPair(ctx, 10_000);
    const key = randomUUID();
    const body = walletTransfer(source, dest, 1_000);
    const transferId = transferIdFor(partner.workspaceId, key);

    // The first request starts the workflow; its workers keep crashing (the task is failed three times).
    const first = postTransfer(ctx, partner.admin.token, body, key);
    let attempt = 0;
    while (attempt < 3) attempt = await failNextWorkflowTask(ctx, transferWorkflowId(transferId));

    // The client retries the same key: Temporal refuses the update while the task is failing.
    const retried = await postTransfer(ctx, partner.admin.token, body, key);
    expectProblem(retried, 503, 'SERVICE_UNAVAILABLE');
    expect(retried.headers.get('retry-after')).toBeTruthy();

    // A worker runs again: both the waiting request and a new retry answer the same transfer.
    const worker = await ctx.startWorker();
    const [original, again] = await Promise.all([first, postTransfer(ctx, partner.admin.token, body, key)]);
    await stopWorker(worker);
    // The first request was waiting all along: it got the transfer, or (its wait over) a retryable 503.
    if (original.status === 201) expect(original.body.id).toBe(transferId);
    else expectProblem(original, 503, 'SERVICE_UNAVAILABLE');
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body.id).toBe(transferId);
    const rows = await ctx.orm.em
      .fork()
      .execute<{ id: string }[]>('select id from transfer where workspace_id = ?', [partner.workspaceId]);
    expect(rows.map((r) => r.id)).toEqual([transferId]);
    await expectLedgerConsistent(ctx, tenant.tenantId, true);
  });

  it('waits for the hold when the worker comes back while the retry is waiting', async () => {
    const { partner, source, dest } = await fundedWalletPair(ctx, 10_000);
    const key = randomUUID();
    const body = walletTransfer(source, dest, 700);
    const transferId = transferIdFor(partner.workspaceId, key);
    const first = postTransfer(ctx, partner.admin.token, body, key);
    let attempt = 0;
    while (attempt < 3) attempt = await failNextWorkflowTask(ctx, transferWorkflowId(transferId));

    const retried = postTransfer(ctx, partner.admin.token, body, key);
    await sleep(500);
    const worker = await ctx.startWorker();
    const [original, again] = await Promise.all([first, retried]);
    await stopWorker(worker);
    if (original.status === 201) expect(original.body.id).toBe(transferId);
    else expectProblem(original, 503, 'SERVICE_UNAVAILABLE');
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body.id).toBe(transferId);
  });

  it('answers a payout as soon as its funds are held, while the workflow has not yet heard back from its hold', async () => {
    const { tenant, partner, source } = await fundedWalletPair(ctx, 10_000);
    const real = realActivities(ctx);
    let release: () => void = () => undefined;
    const stalled = new Promise<void>((r) => (release = r));
    // The hold commits, then its worker "hangs" (as a crashed one would) before reporting back.
    const worker = await ctx.startWorker({
      holdTransferFunds: (async (input: Parameters<typeof real.holdTransferFunds>[0]) => {
        const result = await real.holdTransferFunds(input);
        await stalled;
        return result;
      }) as never,
    });
    const key = randomUUID();
    // A payout the bank rejects (its callback has nowhere to go here: the inquiry finds the verdict).
    const res = await postTransfer(ctx, partner.admin.token, bankTransfer(source, '000111222', 300), key);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.id).toBe(transferIdFor(partner.workspaceId, key));
    expect(res.body.status).toBe('PROCESSING');
    release();
    expect((await waitForTransfer(ctx, partner.admin.token, res.body.id)).status).toBe('FAILED');
    await stopWorker(worker);
    await expectLedgerConsistent(ctx, tenant.tenantId);
  });
});
