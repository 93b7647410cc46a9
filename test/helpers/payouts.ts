// Helpers for external payout tests: the app served over HTTP (the sandbox bank calls back into it), workers
// with failure-injecting overrides, signed callbacks, the bank's records and the verdicts we stored.
import { serve, type ServerType } from '@hono/node-server';
import type { Worker } from '@temporalio/worker';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createActivities } from '../../activities/index';
import { signCallback } from '../../domain/channels';
import { createLogger } from '../../domain/logger';
import { freePort } from '../../scripts/services';
import { useTestContext, type TestContext } from './context';
import { createPartnerWorkspace, createTenant } from './factories';
import { call } from './http';
import { createWallet, deposit } from './wallets';

export type Overrides = Record<string, (...args: never[]) => Promise<unknown>>;

/** The env of a file whose app the sandbox bank calls back on `port`: a 2s confirm timeout, a 200 ms bank. */
export function payoutEnv(port: number, env: Record<string, string> = {}): Record<string, string> {
  return {
    PUBLIC_API_URL: `http://127.0.0.1:${port}`,
    CHANNEL_CONFIRM_TIMEOUT: '2s',
    SANDBOX_BANK_DELAY: '200ms',
    ...env,
  };
}

/** Serves the app on `port` for the file (the sandbox bank calls back into it). */
export function useServedApp(ctx: TestContext, port: number) {
  let server: ServerType;
  beforeAll(() => {
    server = serve({ fetch: ctx.app.fetch, port, hostname: '127.0.0.1' });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
}

/** Serves the app on `port` for the file and stops every worker a test started after it. */
export function usePayoutHarness(ctx: TestContext, port: number) {
  const running: Worker[] = [];
  useServedApp(ctx, port);
  afterEach(async () => {
    for (const worker of running.splice(0)) await stopWorker(worker);
  });
  return {
    async startWorker(overrides: Overrides = {}) {
      const worker = await ctx.startWorker(overrides);
      running.push(worker);
      return worker;
    },
  };
}

/** A payout test file: no standing worker (each test starts its own), the app served on a free port. */
export async function usePayoutContext(env: Record<string, string> = {}) {
  const port = await freePort();
  const ctx = useTestContext({ worker: false, env: payoutEnv(port, env) });
  return { ctx, harness: usePayoutHarness(ctx, port) };
}

export async function stopWorker(worker: Worker) {
  if (worker.getState() === 'RUNNING') worker.shutdown();
  while (worker.getState() !== 'STOPPED' && worker.getState() !== 'FAILED') {
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function realActivities(ctx: TestContext) {
  return createActivities({
    orm: ctx.orm,
    config: ctx.config,
    logger: createLogger('silent'),
    temporal: ctx.temporal,
  });
}

export async function waitUntil<T>(
  check: () => Promise<T | null | undefined | false>,
  what: string,
  timeoutMs = 45_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A tenant with a funded partner wallet and a SANDBOX_BANK fee of 100. */
export async function fundedPartner(ctx: TestContext, funds = 10_000) {
  const tenant = await createTenant(ctx);
  const partner = await createPartnerWorkspace(ctx, tenant.tenantId);
  const source = await createWallet(ctx, partner);
  await deposit(ctx, tenant, source, funds);
  await call(ctx, 'PUT', '/v1/tenant/fees', {
    token: tenant.admin.token,
    body: { data: [{ channelProductCode: 'SANDBOX_BANK', currency: 'USD', fixed: 100, percentBps: 0 }] },
  });
  return { tenant, partner, source, token: partner.admin.token };
}

/** POSTs a verdict to the callback route exactly as the bank does (signed). */
export async function sendCallback(ctx: TestContext, transferId: string, status: 'CONFIRMED' | 'REJECTED') {
  const body = JSON.stringify({ transferId, status, bankReference: 'TEST-REF', reason: null });
  const res = await call(ctx, 'POST', '/v1/channels/sandbox-bank/callbacks', {
    rawBody: body,
    headers: {
      'content-type': 'application/json',
      'x-channel-signature': signCallback(
        ctx.config.CHANNEL_CALLBACK_SECRET,
        body,
        Math.floor(Date.now() / 1000),
      ),
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body as { received: boolean; duplicate: boolean };
}

export async function bankRecord(ctx: TestContext, transferId: string) {
  const [row] = await ctx.orm.em
    .fork()
    .execute('select status, callbacks_sent from sandbox_bank_payout where transfer_id = ?', [transferId]);
  return row as { status: string; callbacks_sent: number } | undefined;
}

export async function verdictsOf(ctx: TestContext, transferId: string) {
  return ctx.orm.em
    .fork()
    .execute(
      'select verdict, source, deliveries, contradicted_at is not null as contradicted from channel_verdict where transfer_id = ? order by id',
      [transferId],
    );
}

export async function transferRow(ctx: TestContext, transferId: string) {
  const [row] = await ctx.orm.em
    .fork()
    .execute('select status, failure_code from transfer where id = ?', [transferId]);
  return row as { status: string; failure_code: string | null };
}

export async function eventTypes(ctx: TestContext, transferId: string): Promise<string[]> {
  const rows = await ctx.orm.em
    .fork()
    .execute('select type from transfer_event where transfer_id = ? order by created_at, id', [transferId]);
  return rows.map((r) => r.type as string);
}

export async function holdsOf(ctx: TestContext, transferId: string) {
  return ctx.orm.em
    .fork()
    .execute('select step, status from ledger_transaction where transfer_id = ? order by step', [transferId]);
}

/** Our final state agrees with the bank's own record: paid iff posted, never paid iff released. */
export async function expectAgreesWithBank(ctx: TestContext, transferId: string) {
  const transfer = await transferRow(ctx, transferId);
  const bank = await bankRecord(ctx, transferId);
  if (transfer.status === 'COMPLETED') expect(bank?.status).toBe('CONFIRMED');
  else expect(['REJECTED', 'RECALLED', undefined]).toContain(bank?.status);
}

/**
 * The transfer's own inquiry happens only once the bank has decided (or for a payout it never decides), so a
 * loaded test machine whose timer beats the simulated bank does not turn a paid payout into a recall.
 */
export function inquiryAfterBankDecided(ctx: TestContext): Overrides {
  const real = realActivities(ctx);
  return {
    inquireChannel: async (input: { key: string; transferId: string }) => {
      await waitUntil(async () => {
        const [row] = await ctx.orm.em
          .fork()
          .execute('select status, planned_outcome from sandbox_bank_payout where transfer_id = ?', [
            input.transferId,
          ]);
        return !row || row.status !== 'PENDING' || row.planned_outcome === 'NEVER';
      }, 'the bank to decide');
      return real.inquireChannel(input);
    },
  };
}

/** The transfer's own inquiry waits until the bank decided or a verdict was stored (a callback the test sends). */
export function inquiryOnceDecided(ctx: TestContext): Overrides {
  const real = realActivities(ctx);
  return {
    inquireChannel: async (input: { key: string; transferId: string }) => {
      await waitUntil(
        async () =>
          (await verdictsOf(ctx, input.transferId)).length > 0 ||
          (await bankRecord(ctx, input.transferId))?.status !== 'PENDING',
        'a verdict',
      );
      return real.inquireChannel(input);
    },
  };
}
