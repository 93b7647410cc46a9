// The ledger alone: hold then post through db/store/ledger.ts, no Temporal, no HTTP; the transfer's legs
// (amount to another wallet, fee to the tenant's FEE_REVENUE account), one transaction each, as the activities do.
import { randomUUID } from 'node:crypto';
import { openOrm } from '../../db/orm';
import { ensureSystemAccount, holdFunds, resolveHold, SYSTEM_ACCOUNTS } from '../../db/store/ledger';
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
    const feeRevenue = await ensureSystemAccount(
      em,
      ctx.tenant.tenantId,
      CURRENCY,
      SYSTEM_ACCOUNTS.FEE_REVENUE,
    );
    const ids = accounts.map((a) => a.id);
    const op = async (c: number) => {
      const operationId = `bench-ledger-${randomUUID()}`;
      const source = ids[c % ids.length]!;
      const destination = ids[(c + 1) % ids.length]!;
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
