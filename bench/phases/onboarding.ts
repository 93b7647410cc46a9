// Bulk onboarding: one batch of N rows through POST /v1/tenant/onboarding-batches, timed until COMPLETED;
// the longest workflow history of the tenant's operations and the worker's memory.
import { randomUUID } from 'node:crypto';
import { observe, type BenchContext } from '../lib/context';
import { round } from '../lib/load';
import { createTenant, CURRENCY } from '../lib/setup';
import { expectStatus } from '../lib/http';
import { peakRssMiB } from '../lib/stack';

async function maxHistoryLength(ctx: BenchContext, tenantId: string): Promise<number | null> {
  let max = 0;
  try {
    for await (const wf of ctx.temporal.workflow.list({ query: `TenantId = "${tenantId}"` })) {
      max = Math.max(max, wf.historyLength);
    }
    return max;
  } catch {
    return null;
  }
}

/**
 * Submits the batch and polls it until it ends; past `limitMs` it is cancelled (rows not started are skipped)
 * and the rate is the rows that finished in the time.
 */
export async function onboardingBatch(ctx: BenchContext, rows: number, limitMs: number) {
  const tenant = await createTenant(ctx.http, ctx.stack.platformToken, `onboarding-${rows}`);
  const batchRows = Array.from({ length: rows }, (_, i) => ({
    name: `Onboarded ${i}`,
    adminEmail: `row-${i}-${randomUUID().slice(0, 8)}@bench.test`,
    adminName: `Admin ${i}`,
    currencies: [CURRENCY],
  }));
  const started = Date.now();
  /** Set when the time limit cancels the batch: when, and how many rows had finished. */
  const cut = { at: 0, finished: 0 };
  const { result: batch, observed } = await observe(
    ctx,
    `onboarding-${rows}`,
    async () => {
      const created = await expectStatus(ctx.http, 202, 'POST', '/v1/tenant/onboarding-batches', {
        token: tenant.adminToken,
        body: { rows: batchRows },
      });
      const path = `/v1/tenant/onboarding-batches/${created.id}`;
      let cancelled = false;
      for (;;) {
        const b = await expectStatus(ctx.http, 200, 'GET', path, { token: tenant.adminToken });
        if (b.status !== 'RUNNING')
          return { ...b, timeLimitHit: cancelled, seconds: (Date.now() - started) / 1000 };
        if (!cancelled && Date.now() - started > limitMs) {
          cancelled = true;
          await expectStatus(ctx.http, 200, 'POST', `${path}/cancel`, { token: tenant.adminToken });
          const now = await expectStatus(ctx.http, 200, 'GET', path, { token: tenant.adminToken });
          cut.at = Date.now();
          cut.finished = Number(now.succeeded) + Number(now.failed);
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    },
    () => rows,
  );
  // Cut short: the rows that finished by the cancel, over the time until the cancel.
  const seconds = cut.at ? (cut.at - started) / 1000 : (batch.seconds as number);
  const finished = cut.at ? cut.finished : rows;
  return {
    rows,
    seconds: round(seconds),
    rowsPerSecond: round(finished / seconds, 2),
    timeLimitSeconds: limitMs / 1000,
    timeLimitHit: batch.timeLimitHit as boolean,
    rowsFinished: finished,
    status: batch.status as string,
    succeeded: batch.succeeded as number,
    failed: batch.failed as number,
    maxHistoryLength: await maxHistoryLength(ctx, tenant.tenantId),
    workerPeakRssMiB: peakRssMiB(ctx.stack.worker.pid!),
    observed,
  };
}
