// Double-entry postings: two-phase (hold -> post | void) and single-phase, idempotent by (operation, step),
// with every touched account locked in id order so concurrent postings neither deadlock nor lose updates.
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

/** The system account for (tenant, currency, key), created on first use (idempotent, safe under concurrency). */
export async function ensureSystemAccount(
  em: EntityManager,
  tenantId: string,
  currency: string,
  systemKey: string,
): Promise<string> {
  await em.execute(
    `insert into ledger_account (id, tenant_id, currency, kind, system_key, created_at)
     values (?, ?, ?, ?, ?, now()) on conflict (tenant_id, currency, system_key) do nothing`,
    [randomUUID(), tenantId, currency, systemKey.split(':')[0], systemKey],
  );
  const [row] = await em.execute<{ id: string }[]>(
    'select id from ledger_account where tenant_id = ? and currency = ? and system_key = ?',
    [tenantId, currency, systemKey],
  );
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

/** Locks the accounts in ascending id order (the one fixed order every posting uses). */
export async function lockAccounts(em: EntityManager, ids: string[]): Promise<Map<string, LockedAccount>> {
  const unique = [...new Set(ids)].sort();
  const rows = await em.execute<Record<string, string>[]>(
    `select id, kind, debits_posted, credits_posted, debits_pending, credits_pending
       from ledger_account where id = any(?::uuid[]) order by id for update`,
    [pgTextArray(unique)],
  );
  if (rows.length !== unique.length) throw new Error('a ledger account of the posting does not exist');
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
  forUpdate = false,
): Promise<TransactionRow | null> {
  const [row] = await em.execute<TransactionRow[]>(
    `select id, status from ledger_transaction where operation_id = ? and step = ?${forUpdate ? ' for update' : ''}`,
    [operationId, step],
  );
  return row ?? null;
}

function accountIdsOf(legs: Leg[]): string[] {
  return legs.flatMap((l) => [l.debit, l.credit]);
}

/** Wallet accounts must keep available >= 0 after the new debits. */
function assertFunds(accounts: Map<string, LockedAccount>, legs: Leg[]): void {
  const debits = new Map<string, bigint>();
  for (const leg of legs) debits.set(leg.debit, (debits.get(leg.debit) ?? 0n) + leg.amount);
  for (const [id, needed] of debits) {
    const account = accounts.get(id)!;
    if (account.kind !== 'WALLET') continue;
    const available = availableOf(account);
    if (available < needed) throw new InsufficientFundsError(id, available, needed);
  }
}

async function insertTransaction(
  em: EntityManager,
  input: PostingInput,
  status: LedgerStatus,
): Promise<string> {
  const id = randomUUID();
  await em.execute(
    `insert into ledger_transaction (id, tenant_id, currency, operation_id, step, status, transfer_id, deposit_id, description, created_at, resolved_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, now(), ${status === 'PENDING' ? 'null' : 'now()'})`,
    [
      id,
      input.tenantId,
      input.currency,
      input.operationId,
      input.step,
      status,
      input.transferId ?? null,
      input.depositId ?? null,
      input.description,
    ],
  );
  return id;
}

async function insertEntry(
  em: EntityManager,
  txId: string,
  accountId: string,
  direction: 'DEBIT' | 'CREDIT',
  leg: Leg,
  status: LedgerStatus,
): Promise<string> {
  const [row] = await em.execute<{ id: string }[]>(
    `insert into ledger_entry (ledger_transaction_id, account_id, direction, amount, status, description, created_at)
     values (?, ?, ?, ?, ?, ?, clock_timestamp()) returning id`,
    [txId, accountId, direction, leg.amount.toString(), status, leg.description],
  );
  return row!.id;
}

/** Adds to an account's pending counter. */
async function addPending(
  em: EntityManager,
  accountId: string,
  direction: 'DEBIT' | 'CREDIT',
  amount: bigint,
) {
  const column = direction === 'DEBIT' ? 'debits_pending' : 'credits_pending';
  await em.execute(`update ledger_account set ${column} = ${column} + ? where id = ?`, [
    amount.toString(),
    accountId,
  ]);
}

/**
 * Moves `amount` into the account's posted counter (from pending when `fromPending`), and stamps the
 * entry with the account's posted balance after it and a global posting sequence number.
 */
async function postEntry(
  em: EntityManager,
  entryId: string,
  accountId: string,
  direction: 'DEBIT' | 'CREDIT',
  amount: bigint,
  fromPending: boolean,
): Promise<void> {
  const posted = direction === 'DEBIT' ? 'debits_posted' : 'credits_posted';
  const pending = direction === 'DEBIT' ? 'debits_pending' : 'credits_pending';
  const pendingChange = fromPending ? `, ${pending} = ${pending} - ?` : '';
  const params = fromPending
    ? [amount.toString(), amount.toString(), accountId]
    : [amount.toString(), accountId];
  const [row] = await em.execute<{ balance: string }[]>(
    `update ledger_account set ${posted} = ${posted} + ?${pendingChange} where id = ?
     returning credits_posted - debits_posted as balance`,
    params,
  );
  await em.execute(
    `update ledger_entry set status = 'POSTED', balance_after = ?, posting_seq = nextval('ledger_posting_seq'),
       posted_at = clock_timestamp() where id = ?`,
    [row!.balance, entryId],
  );
}

/**
 * The shared start of every posting: lock the legs' accounts (id order), return the existing transaction of
 * (operation, step) unchanged, else check funds, insert the transaction and write each leg with `writeLeg`.
 */
async function openPosting(
  em: EntityManager,
  input: PostingInput,
  status: LedgerStatus,
  writeLeg: (txId: string, leg: Leg) => Promise<void>,
): Promise<{ transactionId: string; created: boolean }> {
  const accounts = await lockAccounts(em, accountIdsOf(input.legs));
  const existing = await findTransaction(em, input.operationId, input.step);
  if (existing) return { transactionId: existing.id, created: false };
  assertFunds(accounts, input.legs);
  const txId = await insertTransaction(em, input, status);
  for (const leg of input.legs) await writeLeg(txId, leg);
  return { transactionId: txId, created: true };
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
  return openPosting(em, input, 'PENDING', async (txId, leg) => {
    await insertEntry(em, txId, leg.debit, 'DEBIT', leg, 'PENDING');
    await insertEntry(em, txId, leg.credit, 'CREDIT', leg, 'PENDING');
    await addPending(em, leg.debit, 'DEBIT', leg.amount);
    await addPending(em, leg.credit, 'CREDIT', leg.amount);
  });
}

/** Posts legs at once (single phase, e.g. a deposit); idempotent by (operation, step). */
export async function postImmediately(
  em: EntityManager,
  input: PostingInput,
): Promise<{ transactionId: string; created: boolean }> {
  return openPosting(em, input, 'POSTED', async (txId, leg) => {
    const debitEntry = await insertEntry(em, txId, leg.debit, 'DEBIT', leg, 'PENDING');
    const creditEntry = await insertEntry(em, txId, leg.credit, 'CREDIT', leg, 'PENDING');
    await postEntry(em, debitEntry, leg.debit, 'DEBIT', leg.amount, false);
    await postEntry(em, creditEntry, leg.credit, 'CREDIT', leg.amount, false);
  });
}

interface EntryRow {
  id: string;
  account_id: string;
  direction: 'DEBIT' | 'CREDIT';
  amount: string;
}

async function entriesOf(em: EntityManager, txId: string): Promise<EntryRow[]> {
  return em.execute<EntryRow[]>(
    'select id, account_id, direction, amount from ledger_entry where ledger_transaction_id = ? order by id',
    [txId],
  );
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
  const found = await findTransaction(em, operationId, step);
  if (!found) throw new LedgerStateError(`no ledger transaction ${operationId}/${step}`);
  const entries = await entriesOf(em, found.id);
  await lockAccounts(
    em,
    entries.map((e) => e.account_id),
  );
  const tx = (await findTransaction(em, operationId, step, true))!;
  if (tx.status === resolution) return false;
  if (tx.status !== 'PENDING') {
    throw new LedgerStateError(`ledger transaction ${tx.id} is ${tx.status}, cannot become ${resolution}`);
  }
  for (const entry of entries) {
    const amount = BigInt(entry.amount);
    if (resolution === 'POSTED') {
      await postEntry(em, entry.id, entry.account_id, entry.direction, amount, true);
    } else {
      await addPending(em, entry.account_id, entry.direction, -amount);
      await em.execute(`update ledger_entry set status = 'VOIDED' where id = ?`, [entry.id]);
    }
  }
  await em.execute(`update ledger_transaction set status = ?, resolved_at = now() where id = ?`, [
    resolution,
    tx.id,
  ]);
  return true;
}
