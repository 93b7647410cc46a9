// Transfer rows and their event timeline: reads for the API, writes for the transfer activities.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Transfer } from '../entities/ledger';
import { pgTextArray } from '../sql';
import { keysetQuery } from '../keyset';

export interface TransferRow {
  id: string;
  tenantId: string;
  workspaceId: string;
  sourceWalletId: string;
  destination: Record<string, unknown>;
  destinationWalletId: string | null;
  channelProductCode: string;
  amount: bigint;
  fee: bigint;
  currency: string;
  reference: string | null;
  memo: string | null;
  status: string;
  failureCode: string | null;
  failureMessage: string | null;
  submittedAt: Date | null;
  cancelRequestedAt: Date | null;
  externalReference: string | null;
  /** The initiator (null when a system process started it). */
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

const date = (v: unknown) => (v == null ? null : new Date(v as string));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw SQL row, typed field by field below
function toTransfer(r: Record<string, any>): TransferRow {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    workspaceId: r.workspace_id,
    sourceWalletId: r.source_wallet_id,
    destination: r.destination,
    destinationWalletId: r.destination_wallet_id,
    channelProductCode: r.channel_product_code,
    amount: BigInt(r.amount),
    fee: BigInt(r.fee),
    currency: r.currency,
    reference: r.reference,
    memo: r.memo,
    status: r.status,
    failureCode: r.failure_code,
    failureMessage: r.failure_message,
    submittedAt: date(r.submitted_at),
    cancelRequestedAt: date(r.cancel_requested_at),
    externalReference: r.external_reference,
    createdBy: r.created_by ?? null,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
    completedAt: date(r.completed_at),
  };
}

/** A transfer visible to `scope`; `forUpdate` locks its row. */
export async function findTransfer(
  em: EntityManager,
  id: string,
  scope: { workspaceId?: string; tenantId?: string } = {},
  forUpdate = false,
): Promise<TransferRow | null> {
  const where = ['id = ?'];
  const params: unknown[] = [id];
  if (scope.workspaceId) {
    where.push('workspace_id = ?');
    params.push(scope.workspaceId);
  }
  if (scope.tenantId) {
    where.push('tenant_id = ?');
    params.push(scope.tenantId);
  }
  const [row] = await em.execute(
    `select * from transfer where ${where.join(' and ')}${forUpdate ? ' for update' : ''}`,
    params,
  );
  return row ? toTransfer(row) : null;
}

export type NewTransfer = Pick<
  TransferRow,
  | 'id'
  | 'tenantId'
  | 'workspaceId'
  | 'sourceWalletId'
  | 'destination'
  | 'destinationWalletId'
  | 'channelProductCode'
  | 'amount'
  | 'fee'
  | 'currency'
  | 'reference'
  | 'memo'
> & {
  idempotencyKey: string;
  workflowId: string;
  createdBy: string | null;
  /** INTERNAL transfers never go to a channel: they count as submitted at once. */
  submitted: boolean;
  /** PENDING_APPROVAL when the amount reached the workspace's approval threshold. */
  status: 'PROCESSING' | 'PENDING_APPROVAL';
};

/** Inserts a PROCESSING (or PENDING_APPROVAL) transfer (in the hold's transaction). */
export async function insertTransfer(em: EntityManager, t: NewTransfer): Promise<void> {
  const now = new Date();
  const { sourceWalletId, submitted, ...fields } = t;
  await em.insert(Transfer, {
    ...fields,
    sourceWallet: sourceWalletId,
    submittedAt: submitted ? now : null,
    createdAt: now,
    updatedAt: now,
  });
}

/** PROCESSING -> COMPLETED; a transfer already ended is left as it is. */
export async function completeTransfer(em: EntityManager, id: string): Promise<void> {
  const now = new Date();
  await em.nativeUpdate(
    Transfer,
    { id, status: 'PROCESSING' },
    { status: 'COMPLETED', completedAt: now, updatedAt: now },
  );
}

/** PROCESSING or PENDING_APPROVAL -> FAILED or CANCELLED with its code; an ended transfer is left as it is. */
export async function endTransfer(
  em: EntityManager,
  id: string,
  end: { status: 'FAILED' | 'CANCELLED'; failureCode: string | null; failureMessage: string | null },
): Promise<void> {
  const now = new Date();
  await em.nativeUpdate(
    Transfer,
    { id, status: { $in: ['PROCESSING', 'PENDING_APPROVAL'] } },
    { ...end, completedAt: now, updatedAt: now },
  );
}

/** PENDING_APPROVAL -> PROCESSING (approved); false when the transfer was not waiting. */
export async function markApproved(em: EntityManager, id: string): Promise<boolean> {
  const changed = await em.nativeUpdate(
    Transfer,
    { id, status: 'PENDING_APPROVAL' },
    { status: 'PROCESSING', updatedAt: new Date() },
  );
  return changed === 1;
}

/** Stamps the first cancel request (later ones keep the first time). */
export async function markCancelRequested(em: EntityManager, id: string): Promise<void> {
  await em.nativeUpdate(Transfer, { id, cancelRequestedAt: null }, { cancelRequestedAt: new Date() });
}

/** Stamps the submission to the channel (the first one; a retried submit keeps it). */
export async function markSubmitted(em: EntityManager, id: string): Promise<void> {
  const now = new Date();
  await em.nativeUpdate(Transfer, { id, submittedAt: null }, { submittedAt: now, updatedAt: now });
}

/** The channel's own reference of a submitted payout. */
export async function setExternalReference(
  em: EntityManager,
  id: string,
  externalReference: string,
): Promise<void> {
  await em.nativeUpdate(Transfer, { id }, { externalReference });
}

export interface TransferEventInput {
  type: string;
  data?: Record<string, unknown>;
}

/** Appends events once per type (a retried step records nothing new). */
export async function recordTransferEvents(
  em: EntityManager,
  transferId: string,
  events: TransferEventInput[],
): Promise<void> {
  for (const e of events) {
    await em.execute(
      `insert into transfer_event (transfer_id, type, data, created_at) values (?, ?, ?, clock_timestamp())
       on conflict (transfer_id, type) do nothing`,
      [transferId, e.type, JSON.stringify(e.data ?? {})],
    );
  }
}

export async function listTransferEvents(em: EntityManager, transferId: string) {
  const rows = await em.execute(
    'select type, data, created_at from transfer_event where transfer_id = ? order by created_at, id',
    [transferId],
  );
  return rows.map((r) => ({ type: r.type as string, at: new Date(r.created_at), data: r.data }));
}

export interface TransferFilter {
  workspaceId?: string;
  tenantId: string;
  status?: string;
  walletId?: string;
  from?: Date;
  to?: Date;
  minAmount?: number;
  maxAmount?: number;
  reference?: string;
  cursor?: { createdAt: string; id: string } | null;
  limit: number;
}

/** Transfers newest first, keyset-paginated on (created_at, id) at the cursor's millisecond precision; limit+1 rows. */
export async function listTransfers(em: EntityManager, f: TransferFilter): Promise<TransferRow[]> {
  const q = keysetQuery(
    'select * from transfer',
    [
      ['tenant_id = ?', f.tenantId],
      f.workspaceId && ['workspace_id = ?', f.workspaceId],
      f.status && ['status = ?', f.status],
      f.walletId && ['(source_wallet_id = ? or destination_wallet_id = ?)', f.walletId, f.walletId],
      f.from && ['created_at >= ?', f.from],
      f.to && ['created_at < ?', f.to],
      f.minAmount !== undefined && ['amount >= ?', f.minAmount],
      f.maxAmount !== undefined && ['amount <= ?', f.maxAmount],
      f.reference && ['reference = ?', f.reference],
    ],
    { after: f.cursor ?? null, limit: f.limit },
    // Cursors carry millisecond timestamps; compare at that precision so no row is skipped.
    { time: "date_trunc('milliseconds', created_at)", id: 'id' },
  );
  const rows = await em.execute(q.sql, q.params);
  return rows.map(toTransfer);
}

/** Today's (UTC) outgoing amount of a wallet over transfers that hold or moved money. */
export async function outgoingToday(em: EntityManager, walletId: string): Promise<bigint> {
  const [row] = await em.execute<{ total: string }[]>(
    `select coalesce(sum(amount), 0) as total from transfer
      where source_wallet_id = ? and status = any(?::text[])
        and created_at >= date_trunc('day', now() at time zone 'utc') at time zone 'utc'`,
    [walletId, pgTextArray(['PENDING_APPROVAL', 'PROCESSING', 'COMPLETED'])],
  );
  return BigInt(row!.total);
}

export interface ChannelProductRow {
  id: string;
  code: string;
  name: string;
  type: string;
  currencies: string[];
  status: string;
  minAmount: bigint | null;
  maxAmount: bigint | null;
  createdAt: Date;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw SQL row, typed field by field below
export function toChannelProduct(r: Record<string, any>): ChannelProductRow {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    type: r.type,
    currencies: r.currencies ?? [],
    status: r.status,
    minAmount: r.min_amount == null ? null : BigInt(r.min_amount),
    maxAmount: r.max_amount == null ? null : BigInt(r.max_amount),
    createdAt: new Date(r.created_at),
  };
}

export async function findChannelProduct(
  em: EntityManager,
  tenantId: string,
  code: string,
): Promise<ChannelProductRow | null> {
  const [row] = await em.execute('select * from channel_product where tenant_id = ? and code = ?', [
    tenantId,
    code,
  ]);
  return row ? toChannelProduct(row) : null;
}

export async function findFeeRule(
  em: EntityManager,
  tenantId: string,
  channelProductCode: string,
  currency: string,
): Promise<{ fixed: bigint; percentBps: number } | null> {
  const [row] = await em.execute<{ fixed: string; percent_bps: number }[]>(
    'select fixed, percent_bps from fee_schedule where tenant_id = ? and channel_product_code = ? and currency = ?',
    [tenantId, channelProductCode, currency],
  );
  return row ? { fixed: BigInt(row.fixed), percentBps: Number(row.percent_bps) } : null;
}
