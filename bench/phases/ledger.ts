// The ledger alone: hold then post through db/store/ledger.ts, no Temporal, no HTTP; the transfer's legs
// (amount to another wallet, fee to the operation's shard of the tenant's FEE_REVENUE), one transaction each, as the activities do.
import { randomUUID } from 'node:crypto';
import { openOrm } from '../../db/orm';
import {
  ensureSystemAccount,
  holdFunds,
  resolveHold,
  SYSTEM_ACCOUNT_SHARDS,
  SYSTEM_ACCOUNTS,
  systemAccountShard,
} from '../../db/store/ledger';
import { closedLoop, round, type LoadResult } from '../lib/load';
import { observe, type BenchContext } from '../lib/context';
import { CURRENCY } from '../lib/setup';

export async function ledgerPostings(ctx: BenchContext) {
  const clients = ctx.sizes.ledgerClients;
  const orm = await openOrm(ctx.stack.databaseUrl, { poolMax: clients + 2 });
  try {
    const em = orm.em.fork();
    const accounts = await em.execute<{ id: string }[]>(
      `select a.id from ledger_account a where a.wallet_id = any(?::uuid[]) order by a.id`,
      [`{${ctx.partners.map((p) => p.walletId).join(',')}}`],
    );
    // Every shard of the tenant's fee revenue, created beforehand as the hold activity does for its transfer.
    const feeShards = new Map<number, string>();
    for (let n = 0; feeShards.size < SYSTEM_ACCOUNT_SHARDS && n < 10_000; n++) {
      const shard = systemAccountShard(`probe-${n}`);
      if (!feeShards.has(shard))
        feeShards.set(
          shard,
          await ensureSystemAccount(
            em,
            ctx.tenant.tenantId,
            CURRENCY,
            SYSTEM_ACCOUNTS.FEE_REVENUE,
            `probe-${n}`,
          ),
        );
    }
    const ids = accounts.map((a) => a.id);
    const op = async (c: number) => {
      const operationId = `bench-ledger-${randomUUID()}`;
      const feeRevenue = feeShards.get(systemAccountShard(operationId))!;
      // Each client its own pair of wallets (as pgbench's clients pick their own accounts): what is measured is the
      // posting, not a queue the bench builds by chaining clients' wallets (the hot-wallet phase measures that).
      const source = ids[(2 * c) % ids.length]!;
      const destination = ids[(2 * c + 1) % ids.length]!;
      await orm.em.fork().transactional((tx) =>
        holdFunds(tx, {
          tenantId: ctx.tenant.tenantId,
          currency: CURRENCY,
          operationId,
          step: 'hold',
          description: 'bench posting',
          legs: [
            { debit: source, credit: destination, amount: 100n, description: 'bench amount' },
            { debit: source, credit: feeRevenue, amount: 5n, description: 'bench fee' },
          ],
        }),
      );
      await orm.em.fork().transactional((tx) => resolveHold(tx, operationId, 'hold', 'POSTED'));
    };
    const { result, observed } = await observe(
      ctx,
      'ledgerPosting',
      () => closedLoop({ clients, durationMs: ctx.sizes.loadMs, warmupMs: ctx.sizes.warmupMs, op }),
      (r: LoadResult) => r.ops * 2,
    );
    return { ...result, postingsPerSecond: round(result.perSecond * 2), observed };
  } finally {
    await orm.close();
  }
}
