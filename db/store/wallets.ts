// Wallets and their ledger accounts: opening (called by partner provisioning), reads, balances and flows.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Deposit, Wallet } from '../entities/ledger';
import { availableOf, discardWalletAccounts, openWalletAccount } from './ledger';

export interface OpenWalletInput {
  id: string;
  tenantId: string;
  workspaceId: string;
  currency: string;
  name: string;
}

/** Creates a wallet and its WALLET ledger account in the caller's transaction; idempotent by wallet ID. */
export async function openWallet(em: EntityManager, input: OpenWalletInput): Promise<void> {
  await em
    .createQueryBuilder(Wallet)
    .insert({
      id: input.id,
      tenant: input.tenantId,
      workspace: input.workspaceId,
      currency: input.currency,
      name: input.name,
      status: 'ACTIVE',
      createdAt: new Date(),
    })
    .onConflict('id')
    .ignore()
    .execute();
  await openWalletAccount(em, { tenantId: input.tenantId, currency: input.currency, walletId: input.id });
}

export interface WalletRow {
  id: string;
  tenantId: string;
  workspaceId: string;
  workspaceStatus: string;
  currency: string;
  name: string;
  status: string;
  limitPerTransfer: bigint | null;
  limitDaily: bigint | null;
  createdAt: Date;
  accountId: string;
  available: bigint;
  pending: bigint;
}

const WALLET_SELECT = `
  select w.id, w.tenant_id, w.workspace_id, ws.status as workspace_status, w.currency, w.name, w.status,
         w.limit_per_transfer, w.limit_daily, w.created_at, a.id as account_id,
         a.credits_posted, a.debits_posted, a.debits_pending
    from wallet w
    join ledger_account a on a.wallet_id = w.id
    join workspace ws on ws.id = w.workspace_id`;

function toWallet(r: Record<string, unknown>): WalletRow {
  const counters = {
    creditsPosted: BigInt(r.credits_posted as string),
    debitsPosted: BigInt(r.debits_posted as string),
    debitsPending: BigInt(r.debits_pending as string),
  };
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    workspaceId: r.workspace_id as string,
    workspaceStatus: r.workspace_status as string,
    currency: r.currency as string,
    name: r.name as string,
    status: r.status as string,
    limitPerTransfer: r.limit_per_transfer == null ? null : BigInt(r.limit_per_transfer as string),
    limitDaily: r.limit_daily == null ? null : BigInt(r.limit_daily as string),
    createdAt: new Date(r.created_at as string),
    accountId: r.account_id as string,
    available: availableOf(counters),
    pending: counters.debitsPending,
  };
}

/** A wallet visible to `scope` (its workspace, or any workspace of its tenant); null otherwise. */
export async function findWallet(
  em: EntityManager,
  id: string,
  scope: { workspaceId: string } | { tenantId: string },
): Promise<WalletRow | null> {
  const [column, value] =
    'workspaceId' in scope ? ['w.workspace_id', scope.workspaceId] : ['w.tenant_id', scope.tenantId];
  const [row] = await em.execute(`${WALLET_SELECT} where w.id = ? and ${column} = ?`, [id, value]);
  return row ? toWallet(row) : null;
}

export async function listWorkspaceWallets(em: EntityManager, workspaceId: string): Promise<WalletRow[]> {
  const rows = await em.execute(
    `${WALLET_SELECT} where w.workspace_id = ? order by w.currency, w.created_at, w.id`,
    [workspaceId],
  );
  return rows.map(toWallet);
}

export function balanceOf(w: WalletRow) {
  return { available: w.available, pending: w.pending, total: w.available + w.pending };
}

export interface FlowFilter {
  accountId: string;
  direction?: 'CREDIT' | 'DEBIT';
  from?: Date;
  to?: Date;
  cursor?: { createdAt: string; id: string } | null;
  limit: number;
}

export interface FlowRow {
  id: string;
  transferId: string | null;
  depositId: string | null;
  direction: string;
  amount: bigint;
  balanceAfter: bigint | null;
  status: string;
  description: string;
  createdAt: Date;
}

/** The wallet account's entries, newest first (entry ids grow with time), keyset-paginated on id; limit+1 rows. */
export async function listFlows(em: EntityManager, f: FlowFilter): Promise<FlowRow[]> {
  const where = ['e.account_id = ?'];
  const params: unknown[] = [f.accountId];
  if (f.direction) {
    where.push('e.direction = ?');
    params.push(f.direction);
  }
  if (f.from) {
    where.push('e.created_at >= ?');
    params.push(f.from);
  }
  if (f.to) {
    where.push('e.created_at < ?');
    params.push(f.to);
  }
  if (f.cursor) {
    where.push('e.id < ?::bigint');
    params.push(f.cursor.id);
  }
  params.push(f.limit + 1);
  const rows = await em.execute(
    `select e.id, t.transfer_id, t.deposit_id, e.direction, e.amount, e.balance_after, e.status, e.description, e.created_at
       from ledger_entry e join ledger_transaction t on t.id = e.ledger_transaction_id
      where ${where.join(' and ')}
      order by e.id desc limit ?`,
    params,
  );
  return rows.map((r) => ({
    id: String(r.id),
    transferId: r.transfer_id ?? null,
    depositId: r.deposit_id ?? null,
    direction: r.direction,
    amount: BigInt(r.amount),
    balanceAfter: r.balance_after == null ? null : BigInt(r.balance_after),
    status: r.status,
    description: r.description,
    createdAt: new Date(r.created_at),
  }));
}

export interface WalletChanges {
  status?: 'ACTIVE' | 'FROZEN';
  limitPerTransfer?: bigint | null;
  limitDaily?: bigint | null;
}

/** Sets the given fields of a wallet (absent fields stay). */
export async function updateWalletFields(
  em: EntityManager,
  id: string,
  changes: WalletChanges,
): Promise<void> {
  await em.nativeUpdate(Wallet, { id }, changes);
}

export interface DepositRow {
  id: string;
  walletId: string;
  amount: bigint;
  currency: string;
  reference: string | null;
  createdAt: Date;
}

export async function findDeposit(em: EntityManager, id: string): Promise<DepositRow | null> {
  const d = await em.findOne(Deposit, { id }, { refresh: true, disableIdentityMap: true });
  if (!d) return null;
  return {
    id: d.id,
    walletId: d.wallet,
    amount: d.amount,
    currency: d.currency,
    reference: d.reference ?? null,
    createdAt: d.createdAt,
  };
}

export async function insertDeposit(
  em: EntityManager,
  d: Omit<DepositRow, 'createdAt'> & { tenantId: string; createdBy: string | null },
): Promise<void> {
  const { walletId, ...fields } = d;
  await em.insert(Deposit, { ...fields, wallet: walletId, createdAt: new Date() });
}

/** Compensation of openWallet: removes wallets provisioning opened, with their (still empty) ledger accounts. */
export async function discardOpenedWallets(em: EntityManager, walletIds: readonly string[]): Promise<void> {
  if (walletIds.length === 0) return;
  await discardWalletAccounts(em, walletIds);
  await em.execute('delete from wallet where id in (?)', [walletIds]);
}
