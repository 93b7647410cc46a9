// Fault and concurrency tests: a worker dies between hold and post, posting fails transiently, a cancel races the
// submission, and 200 transfers compete for one wallet. Each test runs its own worker(s) on this file's queue.
import { randomUUID } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import { afterEach, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index';
import { createLogger } from '../../domain/logger';
import { useTestContext } from '../helpers/context';
import { call, expectProblem } from '../helpers/http';
import {
  balance,
  bankTransfer,
  deposit,
  expectLedgerConsistent,
  fundedWalletPair,
  postTransfer,
  walletTransfer,
} from '../helpers/wallets';

const ctx = useTestContext({ worker: false, env: { CHANNEL_CONFIRM_TIMEOUT: '2s' } });
const running: Worker[] = [];

function realActivities() {
  return createActivities({
    orm: ctx.orm,
    config: ctx.config,
    logger: createLogger('silent'),
    temporal: ctx.temporal,
  });
}

async function startWorker(overrides?: Record<string, (...args: never[]) => Promise<unknown>>) {
  const worker = await ctx.startWorker(overrides ?? {});
  running.push(worker);
  return worker;
}

async function stopWorker(worker: Worker) {
  if (worker.getState() === 'RUNNING') worker.shutdown();
  while (worker.getState() !== 'STOPPED' && worker.getState() !== 'FAILED') {
    await new Promise((r) => setTimeout(r, 50));
  }
}

afterEach(async () => {
  for (const worker of running.splice(0)) await stopWorker(worker);
});

function signal() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** The wallet pair with the source's token; unfunded by default, so a test deposits after its worker set-up. */
async function setup(funds = 0) {
  const s = await fundedWalletPair(ctx, funds);
  return { ...s, token: s.partner.admin.token };
}

async function holdsOf(transferId: string) {
  return ctx.orm.em
    .fork()
    .execute('select status from ledger_transaction where transfer_id = ?', [transferId]);
}

describe('transfer faults', () => {
  // An INTERNAL transfer holds and posts in local activities inside one workflow task: a worker that dies there
  // (SIGKILL in the chaos run) loses the task, and the next attempt repeats both steps. An in-process worker
  // cannot be killed that way, so the loss is injected right after the hold commits.
  it('the hold committed and then its step lost with the worker: the repeated step finds the hold, the transfer completes once', async () => {
    const s = await setup(5_000);
    const real = realActivities();
    let holds = 0;
    await startWorker({
      holdTransferFunds: async (input: Parameters<typeof real.holdTransferFunds>[0]) => {
        holds += 1;
        const held = await real.holdTransferFunds(input);
        if (holds === 1) {
          expect(await balance(ctx, s.token, s.source)).toMatchObject({ available: 3_500, pending: 1_500 });
          throw new Error('worker lost after the hold committed (injected)');
        }
        return held;
      },
    });

    const res = await postTransfer(ctx, s.token, walletTransfer(s.source, s.dest, 1_500));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.status).toBe('COMPLETED');
    expect(holds).toBe(2);
    expect(await holdsOf(res.body.id)).toEqual([{ status: 'POSTED' }]);
    expect(await balance(ctx, s.token, s.source)).toMatchObject({
      available: 3_500,
      pending: 0,
      total: 3_500,
    });
    expect(await balance(ctx, s.other.admin.token, s.dest)).toMatchObject({ available: 1_500, total: 1_500 });
    await expectLedgerConsistent(ctx, s.tenant.tenantId);
  });

  it('the post activity failing transiently 3 times, then succeeding, moves the money once', async () => {
    const s = await setup();
    const real = realActivities();
    let attempts = 0;
    await startWorker({
      postTransfer: async (input: Parameters<typeof real.postTransfer>[0]) => {
        attempts += 1;
        if (attempts <= 3) throw new Error('connection reset by peer (injected)');
        return real.postTransfer(input);
      },
    });
    await deposit(ctx, s.tenant, s.source, 2_000);
    const res = await postTransfer(ctx, s.token, walletTransfer(s.source, s.dest, 700));
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('COMPLETED');
    expect(attempts).toBe(4);
    expect(await balance(ctx, s.token, s.source)).toMatchObject({ available: 1_300, pending: 0 });
    expect(await balance(ctx, s.other.admin.token, s.dest)).toMatchObject({ available: 700 });
    const entries = await ctx.orm.em
      .fork()
      .execute(
        `select count(*)::int as n from ledger_entry e join ledger_transaction t on t.id = e.ledger_transaction_id where t.transfer_id = ?`,
        [res.body.id],
      );
    expect(entries[0]!.n).toBe(2);
    await expectLedgerConsistent(ctx, s.tenant.tenantId);
  });

  it('a cancel before submission releases the hold: CANCELLED, and the bank never sees the payout', async () => {
    const s = await setup();
    const real = realActivities();
    const submitEntered = signal();
    const gate = signal();
    await startWorker({
      submitToChannel: async (input: Parameters<typeof real.submitToChannel>[0]) => {
        submitEntered.resolve();
        await gate.promise;
        return real.submitToChannel(input);
      },
    });
    await deposit(ctx, s.tenant, s.source, 5_000);
    const res = await postTransfer(ctx, s.token, bankTransfer(s.source, '12345678', 2_000));
    expect(res.body.status).toBe('PROCESSING');
    await submitEntered.promise;
    expect(await balance(ctx, s.token, s.source)).toMatchObject({ available: 3_000, pending: 2_000 });

    const cancel = call(ctx, 'POST', `/v1/transfers/${res.body.id}/cancel`, { token: s.token });
    for (let i = 0; i < 200; i++) {
      const [row] = await ctx.orm.em
        .fork()
        .execute('select cancel_requested_at from transfer where id = ?', [res.body.id]);
      if (row?.cancel_requested_at) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    gate.resolve();
    const cancelled = await cancel;
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body.status).toBe('CANCELLED');
    expect(await balance(ctx, s.token, s.source)).toMatchObject({ available: 5_000, pending: 0 });
    const detail = await call(ctx, 'GET', `/v1/transfers/${res.body.id}`, { token: s.token });
    expect(detail.body.events.map((e: any) => e.type)).toEqual([
      'FUNDS_HELD',
      'CANCEL_REQUESTED',
      'FUNDS_RELEASED',
      'CANCELLED',
    ]);
    await expect(ctx.temporal.workflow.getHandle(`sandbox-bank-${res.body.id}`).describe()).rejects.toThrow();
    expect(
      (await call(ctx, 'POST', `/v1/transfers/${res.body.id}/cancel`, { token: s.token })).body.status,
    ).toBe('CANCELLED');
    await expectLedgerConsistent(ctx, s.tenant.tenantId);
  });

  it('200 transfers at once from one wallet: exactly the covered ones succeed, none goes below zero', async () => {
    const s = await setup();
    await startWorker();
    await call(ctx, 'PUT', '/v1/tenant/fees', {
      token: s.tenant.admin.token,
      body: { data: [{ channelProductCode: 'INTERNAL', currency: 'USD', fixed: 1, percentBps: 0 }] },
    });
    await deposit(ctx, s.tenant, s.source, 51 * 73);
    const answers = await Promise.all(
      Array.from({ length: 200 }, () =>
        postTransfer(ctx, s.token, walletTransfer(s.source, s.dest, 50), randomUUID()),
      ),
    );
    const created = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status !== 201);
    expect(created).toHaveLength(73);
    expect(created.every((a) => a.body.status === 'COMPLETED')).toBe(true);
    for (const r of refused) expectProblem(r, 422, 'INSUFFICIENT_FUNDS');
    expect(await balance(ctx, s.token, s.source)).toMatchObject({ available: 0, pending: 0, total: 0 });
    expect(await balance(ctx, s.other.admin.token, s.dest)).toMatchObject({ available: 50 * 73 });
    await expectLedgerConsistent(ctx, s.tenant.tenantId);
  }, 400_000);
});
