// INTERNAL transfers over HTTP: 32 clients each from its own wallet, one client, and 32 clients from one wallet.
import { randomUUID } from 'node:crypto';
import { transferWorkflowId } from '../../domain/transfers';
import { historySummary } from '../lib/evidence';
import { closedLoop, type LoadResult } from '../lib/load';
import { observe, type BenchContext } from '../lib/context';
import { CURRENCY, type BenchPartner } from '../lib/setup';

const AMOUNT = 100;

async function transfer(ctx: BenchContext, from: BenchPartner, to: BenchPartner, done: string[]) {
  const res = await ctx.http.call('POST', '/v1/transfers', {
    token: from.token,
    headers: { 'idempotency-key': randomUUID() },
    body: {
      sourceWalletId: from.walletId,
      amount: AMOUNT,
      currency: CURRENCY,
      destination: { type: 'WALLET', walletId: to.walletId },
    },
  });
  if (res.status !== 201 || res.body.status !== 'COMPLETED') {
    throw new Error(`transfer answered ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
  }
  done.push(res.body.id as string);
}

/** A sample of the run's transfers, for the history breakdown. */
function sampleOf(ids: string[], n = 30): string[] {
  const step = Math.max(1, Math.floor(ids.length / n));
  return ids
    .filter((_, i) => i % step === 0)
    .slice(0, n)
    .map(transferWorkflowId);
}

async function run(
  ctx: BenchContext,
  name: string,
  clients: number,
  ms: number,
  pick: (c: number) => [BenchPartner, BenchPartner],
) {
  const done: string[] = [];
  const { result, observed } = await observe(
    ctx,
    name,
    () =>
      closedLoop({
        clients,
        durationMs: ms,
        warmupMs: ctx.sizes.warmupMs,
        op: (c) => transfer(ctx, ...pick(c), done),
      }),
    (r: LoadResult) => r.ops,
  );
  return { ...result, workflow: await historySummary(ctx.temporal, sampleOf(done)), observed };
}

/** Client c sends from partner c's wallet to the next partner's. */
export function spreadTransfers(ctx: BenchContext, clients: number, ms: number, name: string) {
  const p = ctx.partners;
  return run(ctx, name, clients, ms, (c) => [p[c % p.length]!, p[(c + 1) % p.length]!]);
}

/** Every client sends from the first partner's wallet, to the others in turn. */
export function hotWalletTransfers(ctx: BenchContext) {
  const p = ctx.partners;
  return run(ctx, 'hotWallet', ctx.sizes.clients, ctx.sizes.loadMs, (c) => [
    p[0]!,
    p[1 + (c % (p.length - 1))]!,
  ]);
}
