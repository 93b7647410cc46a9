// GET /v1/wallets/:id/flows on a wallet with many ledger entries (inserted in bulk with generate_series, each a
// posted, balanced transaction against the tenant's FUNDING account): the first page and a page 1,000 deep.
import pg from 'pg';
import { encodeCursor } from '../../api/pagination';
import { openOrm } from '../../db/orm';
import { ensureSystemAccount, SYSTEM_ACCOUNTS } from '../../db/store/ledger';
import { observe, type BenchContext } from '../lib/context';
import { percentile, round, timed } from '../lib/load';
import { activePartner, CURRENCY } from '../lib/setup';

const PAGE = 50;
const DEPTH = 1_000;
const AMOUNT = 100;

async function insertEntries(ctx: BenchContext, walletId: string, entries: number): Promise<void> {
  const orm = await openOrm(ctx.stack.databaseUrl, { poolMax: 1 });
  const funding = await ensureSystemAccount(
    orm.em.fork(),
    ctx.tenant.tenantId,
    CURRENCY,
    SYSTEM_ACCOUNTS.FUNDING,
  );
  await orm.close();
  const client = new pg.Client({ connectionString: ctx.stack.databaseUrl });
  await client.connect();
  try {
    const params = [ctx.tenant.tenantId, CURRENCY, entries, walletId, funding, AMOUNT];
    await client.query('begin');
    await client.query(
      `insert into ledger_transaction (id, tenant_id, currency, operation_id, step, status, description, created_at, resolved_at)
       select md5('bench-flow-' || i)::uuid, $1, $2, 'bench-flow-' || i, 'post', 'POSTED', 'bench flow',
              now() - ($3 - i) * interval '1 millisecond', now() - ($3 - i) * interval '1 millisecond'
         from generate_series(1, $3::int) i`,
      params.slice(0, 3),
    );
    await client.query(
      `insert into ledger_entry (ledger_transaction_id, account_id, direction, amount, status, description,
                                 balance_after, posting_seq, created_at, posted_at)
       select md5('bench-flow-' || i)::uuid, leg.account, leg.direction, $4, 'POSTED', 'bench flow',
              case when leg.direction = 'CREDIT' then $4::bigint * i end, nextval('ledger_posting_seq'),
              now() - ($1 - i) * interval '1 millisecond', now() - ($1 - i) * interval '1 millisecond'
         from generate_series(1, $1::int) i
        cross join (values ((select id from ledger_account where wallet_id = $2::uuid), 'CREDIT', 1),
                           ($3::uuid, 'DEBIT', 2)) as leg(account, direction, ord)`,
      [entries, walletId, funding, AMOUNT],
    );
    await client.query(
      `update ledger_account set credits_posted = credits_posted + $1::bigint * $2 where wallet_id = $3`,
      [AMOUNT, entries, walletId],
    );
    await client.query(
      `update ledger_account set debits_posted = debits_posted + $1::bigint * $2 where id = $3`,
      [AMOUNT, entries, funding],
    );
    await client.query('commit');
    await client.query('analyze ledger_entry');
    await client.query('analyze ledger_transaction');
  } finally {
    await client.end();
  }
}

/** The cursor a client holds after reading `pages` pages, built with the API's own encoder. */
async function cursorAfter(ctx: BenchContext, walletId: string, pages: number): Promise<string> {
  const client = new pg.Client({ connectionString: ctx.stack.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; created_at: Date }>(
      `select e.id, e.created_at from ledger_entry e join ledger_account a on a.id = e.account_id
        where a.wallet_id = $1 order by e.created_at desc, e.id desc offset $2 limit 1`,
      [walletId, pages * PAGE - 1],
    );
    return encodeCursor({ createdAt: rows[0]!.created_at, id: rows[0]!.id });
  } finally {
    await client.end();
  }
}

export async function flowsRead(ctx: BenchContext) {
  const entries = ctx.sizes.flowsEntries;
  const partner = await activePartner(ctx.http, ctx.tenant, 0);
  const insertStarted = Date.now();
  await insertEntries(ctx, partner.walletId, entries);
  const insertSeconds = round((Date.now() - insertStarted) / 1000);
  const depth = Math.min(DEPTH, Math.floor(entries / PAGE) - 1);
  const cursor = await cursorAfter(ctx, partner.walletId, depth);
  const read = async (query: string, expectFirstId?: (id: string) => void) => {
    const res = await ctx.http.call('GET', `/v1/wallets/${partner.walletId}/flows?limit=${PAGE}${query}`, {
      token: partner.token,
    });
    if (res.status !== 200 || res.body.data.length !== PAGE) {
      throw new Error(`flows answered ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    }
    expectFirstId?.(res.body.data[0].id);
  };
  const { result, observed } = await observe(
    ctx,
    'flowsRead',
    async () => {
      const first = await timed(ctx.sizes.flowsReads, () => read(''));
      const deep = await timed(ctx.sizes.flowsReads, () => read(`&cursor=${encodeURIComponent(cursor)}`));
      return { first, deep };
    },
    () => ctx.sizes.flowsReads * 2,
  );
  const stats = (l: number[]) => ({
    reads: l.length,
    p50Ms: percentile(l, 50),
    p99Ms: percentile(l, 99),
  });
  return {
    entries,
    insertSeconds,
    pageSize: PAGE,
    deepPage: depth,
    firstPage: stats(result.first),
    deep: stats(result.deep),
    observed,
  };
}
