// Double-entry postings: two-phase (hold -> post | void) and single-phase, idempotent by (operation, step). Lock
// order: the wallet accounts in id order first, then the system accounts in id order inside the posting's one
// write statement, so concurrent postings neither deadlock nor lose updates, and a tenant's FEE_REVENUE or
// SETTLEMENT row is held only from that statement to COMMIT.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { LedgerAccount } from '../entities/ledger';
import { pgTextArray } from '../sql';

export type LedgerStatus = 'PENDING' | 'POSTED' | 'VOIDED';

/** Money moving from `debit` to `credit`; each leg becomes two balanced entries. */
export interface Leg {
  debit: string;
  credit: string;
  amount: bigint;
  description: string;
}

export interface PostingInput {
  tenantId: string;
  currency: string;
  operationId: string;
  step: string;
  description: string;
  legs: Leg[];
  transferId?: string | null;
  depositId?: string | null;
}

export interface LockedAccount {
  id: string;
  kind: string;
  debitsPosted: bigint;
  creditsPosted: bigint;
  debitsPending: bigint;
  creditsPending: bigint;
}

/** A wallet account would go below zero available; nothing was written. */
export class InsufficientFundsError extends Error {
  constructor(
    readonly accountId: string,
    readonly available: bigint,
    readonly needed: bigint,
  ) {
    super(`available ${available} is less than the ${needed} needed`);
    this.name = 'InsufficientFundsError';
  }
}

/** The posting or void asked for contradicts the transaction's final state (POSTED vs VOIDED). */
export class LedgerStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LedgerStateError';
  }
}

export const SYSTEM_ACCOUNTS = {
  FUNDING: 'FUNDING',
  FEE_REVENUE: 'FEE_REVENUE',
  settlement: (channelCode: string) => `SETTLEMENT:${channelCode}`,
} as const;

export function availableOf(
  a: Pick<LockedAccount, 'creditsPosted' | 'debitsPosted' | 'debitsPending'>,
): bigint {
  return a.creditsPosted - a.debitsPosted - a.debitsPending;
}

/**
 * System accounts that every transfer or deposit of a tenant touches (FUNDING, FEE_REVENUE, SETTLEMENT) are spread
 * over this many rows per key and currency, the row chosen by the operation: a tenant's postings never queue on
 * one row (DESIGN: system accounts never serialize a tenant). Each shard is an ordinary account (`<key>#<n>`, same
 * kind); whoever wants the total sums the kind.
 */
export const SYSTEM_ACCOUNT_SHARDS = 8;

/** The shard of an operation (a transfer or deposit ID): a stable FNV-1a hash of it. */
export function systemAccountShard(operationId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < operationId.length; i++) hash = Math.imul(hash ^ operationId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % SYSTEM_ACCOUNT_SHARDS;
}

/**
 * The system account for (tenant, currency, key), created on first use (idempotent, safe under concurrency); with
 * `operationId`, that operation's shard of it.
 */
export async function ensureSystemAccount(
  em: EntityManager,
  tenantId: string,
  currency: string,
  systemKey: string,
  operationId?: string,
): Promise<string> {
  const key = operationId === undefined ? systemKey : `${systemKey}#${systemAccountShard(operationId)}`;
  const find = () =>
    em.execute<{ id: string }[]>(
      'select id from ledger_account where tenant_id = ? and currency = ? and system_key = ?',
      [tenantId, currency, key],
    );
  const [found] = await find();
  if (found) return found.id;
  await em.execute(
    `insert into ledger_account (id, tenant_id, currency, kind, system_key, created_at)
     values (?, ?, ?, ?, ?, now()) on conflict (tenant_id, currency, system_key) do nothing`,
    [randomUUID(), tenantId, currency, systemKey.split(':')[0], key],
  );
  const [row] = await find();
  return row!.id;
}

/** The WALLET account of a wallet, created with it (idempotent by wallet ID). */
export async function openWalletAccount(
  em: EntityManager,
  input: { tenantId: string; currency: string; walletId: string },
): Promise<void> {
  await em
    .createQueryBuilder(LedgerAccount)
    .insert({
      id: randomUUID(),
      tenant: input.tenantId,
      currency: input.currency,
      kind: 'WALLET',
      wallet: input.walletId,
      createdAt: new Date(),
    })
    .onConflict('wallet')
    .ignore()
    .execute();
}

/** Compensation of openWalletAccount: removes the (still empty) WALLET accounts of these wallets. */
export async function discardWalletAccounts(em: EntityManager, walletIds: readonly string[]): Promise<void> {
  if (walletIds.length === 0) return;
  await em.execute(`delete from ledger_account where kind = 'WALLET' and wallet_id in (?)`, [walletIds]);
}

/**
 * Locks the WALLET accounts among `ids` in ascending id order (the first half of the one fixed order every
 * posting uses; system accounts are locked second, in id order, by the posting's write statement, so their rows
 * are held only from that statement to COMMIT and never serialise a tenant's postings across round trips).
 * Returns the locked wallet accounts; system accounts are not in the map.
 */
export async function lockAccounts(em: EntityManager, ids: string[]): Promise<Map<string, LockedAccount>> {
  const unique = [...new Set(ids)].sort();
  const rows = await em.execute<Record<string, string>[]>(
    `select id, kind, debits_posted, credits_posted, debits_pending, credits_pending
       from ledger_account where id = any(?::uuid[]) and kind = 'WALLET' order by id for update`,
    [pgTextArray(unique)],
  );
  return new Map(
    rows.map((r) => [
      r.id!,
      {
        id: r.id!,
        kind: r.kind!,
        debitsPosted: BigInt(r.debits_posted!),
        creditsPosted: BigInt(r.credits_posted!),
        debitsPending: BigInt(r.debits_pending!),
        creditsPending: BigInt(r.credits_pending!),
      },
    ]),
  );
}

interface TransactionRow {
  id: string;
  status: LedgerStatus;
}

export async function findTransaction(
  em: EntityManager,
  operationId: string,
  step: string,
): Promise<TransactionRow | null> {
  const [row] = await em.execute<TransactionRow[]>(
    `select id, status from ledger_transaction where operation_id = ? and step = ?`,
    [operationId, step],
  );
  return row ?? null;
}

function accountIdsOf(legs: Leg[]): string[] {
  return legs.flatMap((l) => [l.debit, l.credit]);
}

/** Wallet accounts must keep available >= 0 after the new debits (`accounts` holds the locked wallets). */
function assertFunds(accounts: Map<string, LockedAccount>, legs: Leg[]): void {
  const debits = new Map<string, bigint>();
  for (const leg of legs) debits.set(leg.debit, (debits.get(leg.debit) ?? 0n) + leg.amount);
  for (const [id, needed] of debits) {
    const account = accounts.get(id);
    if (!account || account.kind !== 'WALLET') continue;
    const available = availableOf(account);
    if (available < needed) throw new InsufficientFundsError(id, available, needed);
  }
}

/** The legs as one JSON parameter: each leg's debit entry, then its credit entry (the order entries get ids in). */
function entriesJson(legs: Leg[]): string {
  return JSON.stringify(
    legs.flatMap((l, i) => [
      {
        ord: 2 * i,
        account_id: l.debit,
        direction: 'DEBIT',
        amount: l.amount.toString(),
        description: l.description,
      },
      {
        ord: 2 * i + 1,
        account_id: l.credit,
        direction: 'CREDIT',
        amount: l.amount.toString(),
        description: l.description,
      },
    ]),
  );
}

/** Per-account debit and credit sums of the CTE `legs`, then the accounts it touches locked in id order. */
const DELTAS_AND_LOCK = `
  d as (select account_id,
               coalesce(sum(amount) filter (where direction = 'DEBIT'), 0) as dr,
               coalesce(sum(amount) filter (where direction = 'CREDIT'), 0) as cr
          from legs group by account_id),
  lk as (select a.id from ledger_account a where a.id in (select account_id from d) order by a.id for update)`;

/**
 * The CTE `src`: the rows of `legs`, numbered from ledger_posting_seq in `orderBy` order only once every account
 * is locked (`lk` read whole first), so an account's posting_seq order is the order its balance changed in.
 */
function sequencedSrc(orderBy: string): string {
  return `src as (select l.*, nextval('ledger_posting_seq') as seq
    from (select * from legs where (select count(*) from lk) > 0 order by ${orderBy}) l)`;
}

/** balance_after of each entry: the account's posted balance after the update minus its later entries here. */
const RUNNING_BALANCE = `acc.balance - coalesce(sum(case when src.direction = 'CREDIT' then src.amount else -src.amount end)
      over (partition by src.account_id order by src.seq rows between 1 following and unbounded following), 0)`;

/** The write of a new posting in one statement: transaction (unless it exists), entries, account counters. */
function newPostingSql(status: 'PENDING' | 'POSTED'): string {
  const posted = status === 'POSTED';
  return `
with tx as (
  insert into ledger_transaction (id, tenant_id, currency, operation_id, step, status, transfer_id, deposit_id, description, created_at, resolved_at)
  values (?, ?, ?, ?, ?, '${status}', ?, ?, ?, now(), ${posted ? 'now()' : 'null'})
  on conflict (operation_id, step) do nothing returning id),
legs as (
  select s.ord, s.account_id, s.direction, s.amount, s.description
    from (select * from jsonb_to_recordset(?::jsonb)
            as x(ord int, account_id uuid, direction text, amount bigint, description text)
           where exists (select 1 from tx) order by ord) s),
${DELTAS_AND_LOCK},
${posted ? sequencedSrc('ord') : 'src as (select * from legs)'},
acc as (
  update ledger_account a set
    ${posted ? 'debits_posted = a.debits_posted + d.dr, credits_posted = a.credits_posted + d.cr' : 'debits_pending = a.debits_pending + d.dr, credits_pending = a.credits_pending + d.cr'}
    from d where a.id = d.account_id and a.id in (select id from lk)
  returning a.id, a.credits_posted - a.debits_posted as balance),
ent as (
  insert into ledger_entry (ledger_transaction_id, account_id, direction, amount, status, description, balance_after, posting_seq, created_at, posted_at)
  select (select id from tx), src.account_id, src.direction, src.amount, '${status}', src.description,
         ${posted ? RUNNING_BALANCE : 'null'}, ${posted ? 'src.seq' : 'null'}, clock_timestamp(), ${posted ? 'clock_timestamp()' : 'null'}
    from src join acc on acc.id = src.account_id order by src.ord
  returning id)
select (select id from tx) as tx_id, (select count(*) from acc) as accounts, (select count(*) from ent) as entries`;
}

/**
 * Every new posting: lock the legs' wallet accounts (id order), check funds, then write transaction, entries and
 * counters (system accounts locked last, in id order) in ONE statement that writes nothing when (operation, step)
 * exists (unique constraint); the existing transaction is then returned unchanged.
 */
async function writePosting(
  em: EntityManager,
  input: PostingInput,
  status: 'PENDING' | 'POSTED',
): Promise<{ transactionId: string; created: boolean }> {
  const wallets = await lockAccounts(em, accountIdsOf(input.legs));
  try {
    assertFunds(wallets, input.legs);
  } catch (err) {
    // A repeated posting may have spent the funds itself: it answers the existing transaction, not a refusal.
    const existing = await findTransaction(em, input.operationId, input.step);
    if (existing) return { transactionId: existing.id, created: false };
    throw err;
  }
  const id = randomUUID();
  const [row] = await em.execute<{ tx_id: string | null; accounts: string; entries: string }[]>(
    newPostingSql(status),
    [
      id,
      input.tenantId,
      input.currency,
      input.operationId,
      input.step,
      input.transferId ?? null,
      input.depositId ?? null,
      input.description,
      entriesJson(input.legs),
    ],
  );
  if (!row!.tx_id) {
    const raced = await findTransaction(em, input.operationId, input.step);
    return { transactionId: raced!.id, created: false };
  }
  const accounts = new Set(accountIdsOf(input.legs)).size;
  if (Number(row!.accounts) !== accounts || Number(row!.entries) !== input.legs.length * 2) {
    throw new Error('a ledger account of the posting does not exist');
  }
  return { transactionId: id, created: true };
}

/**
 * Holds the legs' amounts (PENDING): the debit accounts' available balance shrinks at once.
 * Idempotent: a second call with the same (operation, step) returns the existing transaction unchanged.
 * Throws InsufficientFundsError (nothing written) when a wallet account would go below zero.
 */
export async function holdFunds(
  em: EntityManager,
  input: PostingInput,
): Promise<{ transactionId: string; created: boolean }> {
  return writePosting(em, input, 'PENDING');
}

/** Posts legs at once (single phase, e.g. a deposit); idempotent by (operation, step). */
export async function postImmediately(
  em: EntityManager,
  input: PostingInput,
): Promise<{ transactionId: string; created: boolean }> {
  return writePosting(em, input, 'POSTED');
}

/** Resolving a PENDING transaction in one statement: status, entries and counters (system accounts last). */
function resolutionSql(resolution: 'POSTED' | 'VOIDED'): string {
  const posted = resolution === 'POSTED';
  return `
with upd as (
  update ledger_transaction set status = '${resolution}', resolved_at = now()
   where operation_id = ? and step = ? and status = 'PENDING' returning id),
legs as (
  select id, account_id, direction, amount from ledger_entry
   where ledger_transaction_id = (select id from upd) order by id),
${DELTAS_AND_LOCK},
${posted ? sequencedSrc('id') : 'src as (select * from legs)'},
acc as (
  update ledger_account a set
    ${posted ? 'debits_posted = a.debits_posted + d.dr, credits_posted = a.credits_posted + d.cr, ' : ''}debits_pending = a.debits_pending - d.dr, credits_pending = a.credits_pending - d.cr
    from d where a.id = d.account_id and a.id in (select id from lk)
  returning a.id, a.credits_posted - a.debits_posted as balance),
${
  posted
    ? `run as (select src.id, src.seq, ${RUNNING_BALANCE} as balance_after from src join acc on acc.id = src.account_id),
ent as (
  update ledger_entry e set status = 'POSTED', balance_after = run.balance_after, posting_seq = run.seq,
         posted_at = clock_timestamp()
    from run where e.id = run.id returning e.id)`
    : `ent as (update ledger_entry e set status = 'VOIDED' from src where e.id = src.id returning e.id)`
}
select (select id from upd) as tx_id, (select count(*) from ent) as entries, (select count(*) from src) as expected`;
}

/**
 * Resolves a PENDING transaction to POSTED or VOIDED, exactly once. Repeating the same resolution is a
 * no-op (returns false); the opposite resolution of an already resolved transaction throws LedgerStateError.
 */
export async function resolveHold(
  em: EntityManager,
  operationId: string,
  step: string,
  resolution: 'POSTED' | 'VOIDED',
): Promise<boolean> {
  // The hold's wallet accounts first (id order), as every posting locks them.
  await em.execute(
    `select a.id from ledger_account a
      where a.kind = 'WALLET' and a.id in (
        select e.account_id from ledger_entry e join ledger_transaction t on t.id = e.ledger_transaction_id
         where t.operation_id = ? and t.step = ?)
      order by a.id for update`,
    [operationId, step],
  );
  const [row] = await em.execute<{ tx_id: string | null; entries: string; expected: string }[]>(
    resolutionSql(resolution),
    [operationId, step],
  );
  if (row!.tx_id) {
    if (row!.entries !== row!.expected)
      throw new Error(`ledger transaction ${row!.tx_id}: entries out of step`);
    return true;
  }
  const tx = await findTransaction(em, operationId, step);
  if (!tx) throw new LedgerStateError(`no ledger transaction ${operationId}/${step}`);
  if (tx.status === resolution) return false;
  throw new LedgerStateError(`ledger transaction ${tx.id} is ${tx.status}, cannot become ${resolution}`);
}
