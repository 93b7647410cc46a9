// The ledger invariants of DESIGN.md as SQL checks; the CLI (npm run ledger:check) and every test use them.
import type { EntityManager } from '@mikro-orm/postgresql';

export interface LedgerCheckOptions {
  /** Only this tenant (tests run side by side); all tenants when omitted. */
  tenantId?: string;
  /** Also require every transfer to be terminal (after a scenario has settled). */
  requireTerminal?: boolean;
}

export interface LedgerCheckResult {
  ok: boolean;
  violations: string[];
}

interface Check {
  name: string;
  sql: (tenantFilter: (alias: string) => string) => string;
  describe: (row: Record<string, unknown>) => string;
}

const CHECKS: Check[] = [
  {
    name: 'debits equal credits per tenant and currency (posted and pending)',
    sql: (tf) => `
      select tenant_id, currency, sum(debits_posted) as dp, sum(credits_posted) as cp,
             sum(debits_pending) as dpe, sum(credits_pending) as cpe
        from ledger_account a where true ${tf('a')}
       group by tenant_id, currency
      having sum(debits_posted) <> sum(credits_posted) or sum(debits_pending) <> sum(credits_pending)`,
    describe: (r) =>
      `tenant ${r.tenant_id} ${r.currency}: posted debits ${r.dp} vs credits ${r.cp}, pending debits ${r.dpe} vs credits ${r.cpe}`,
  },
  {
    name: 'account counters equal the sum of their entries',
    sql: (tf) => `
      select a.id, a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending, s.*
        from ledger_account a
        left join lateral (
          select coalesce(sum(amount) filter (where direction = 'DEBIT' and status = 'POSTED'), 0) as e_dp,
                 coalesce(sum(amount) filter (where direction = 'CREDIT' and status = 'POSTED'), 0) as e_cp,
                 coalesce(sum(amount) filter (where direction = 'DEBIT' and status = 'PENDING'), 0) as e_dpe,
                 coalesce(sum(amount) filter (where direction = 'CREDIT' and status = 'PENDING'), 0) as e_cpe
            from ledger_entry e where e.account_id = a.id) s on true
       where (a.debits_posted <> s.e_dp or a.credits_posted <> s.e_cp
              or a.debits_pending <> s.e_dpe or a.credits_pending <> s.e_cpe) ${tf('a')}`,
    describe: (r) =>
      `account ${r.id}: counters ${r.debits_posted}/${r.credits_posted}/${r.debits_pending}/${r.credits_pending} vs entries ${r.e_dp}/${r.e_cp}/${r.e_dpe}/${r.e_cpe}`,
  },
  {
    name: 'every ledger transaction is balanced and its entries share its status',
    sql: (tf) => `
      select t.id, t.status,
             sum(e.amount) filter (where e.direction = 'DEBIT') as debits,
             sum(e.amount) filter (where e.direction = 'CREDIT') as credits,
             count(*) filter (where e.status <> t.status) as mismatched
        from ledger_transaction t join ledger_entry e on e.ledger_transaction_id = t.id
       where true ${tf('t')}
       group by t.id, t.status
      having coalesce(sum(e.amount) filter (where e.direction = 'DEBIT'), 0)
               <> coalesce(sum(e.amount) filter (where e.direction = 'CREDIT'), 0)
          or count(*) filter (where e.status <> t.status) > 0`,
    describe: (r) =>
      `transaction ${r.id} (${r.status}): debits ${r.debits}, credits ${r.credits}, ${r.mismatched} entries out of step`,
  },
  {
    name: 'no wallet has a negative available balance',
    sql: (tf) => `
      select a.wallet_id, a.credits_posted - a.debits_posted - a.debits_pending as available
        from ledger_account a
       where a.kind = 'WALLET' and a.credits_posted - a.debits_posted - a.debits_pending < 0 ${tf('a')}`,
    describe: (r) => `wallet ${r.wallet_id}: available ${r.available}`,
  },
  {
    name: 'the latest posted entry of each account carries its posted balance',
    sql: (tf) => `
      select a.id, a.credits_posted - a.debits_posted as balance, last.balance_after
        from ledger_account a
        join lateral (select balance_after from ledger_entry e where e.account_id = a.id and e.status = 'POSTED'
                       order by posting_seq desc limit 1) last on true
       where last.balance_after <> a.credits_posted - a.debits_posted ${tf('a')}`,
    describe: (r) => `account ${r.id}: balance ${r.balance} but last balanceAfter ${r.balance_after}`,
  },
  {
    name: 'every transfer has exactly one hold, resolved as its status says',
    sql: (tf) => `
      select tr.id, tr.status, count(t.id) as holds, string_agg(t.status, ',') as hold_statuses
        from transfer tr left join ledger_transaction t on t.transfer_id = tr.id and t.step = 'hold'
       where true ${tf('tr')}
       group by tr.id, tr.status
      having count(t.id) <> 1
          or bool_or(not (
               (tr.status = 'COMPLETED' and t.status = 'POSTED')
            or (tr.status in ('FAILED', 'CANCELLED') and t.status = 'VOIDED')
            or (tr.status in ('PROCESSING', 'PENDING_APPROVAL') and t.status = 'PENDING')))`,
    describe: (r) => `transfer ${r.id} (${r.status}): ${r.holds} holds [${r.hold_statuses ?? ''}]`,
  },
];

const TERMINAL_CHECK: Check = {
  name: 'every transfer is terminal',
  sql: (tf) =>
    `select id, status from transfer tr where status in ('PROCESSING', 'PENDING_APPROVAL') ${tf('tr')}`,
  describe: (r) => `transfer ${r.id} is still ${r.status}`,
};

/** Runs every invariant; `violations` names each broken one with the offending rows. */
export async function checkLedger(
  em: EntityManager,
  options: LedgerCheckOptions = {},
): Promise<LedgerCheckResult> {
  const params = options.tenantId ? [options.tenantId] : [];
  const tf = (alias: string) => (options.tenantId ? `and ${alias}.tenant_id = ?` : '');
  const checks = options.requireTerminal ? [...CHECKS, TERMINAL_CHECK] : CHECKS;
  const violations: string[] = [];
  for (const check of checks) {
    const rows = await em.execute<Record<string, unknown>[]>(check.sql(tf), params);
    for (const row of rows.slice(0, 20)) violations.push(`${check.name}: ${check.describe(row)}`);
  }
  return { ok: violations.length === 0, violations };
}
