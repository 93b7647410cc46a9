// The onboarding_batch and onboarding_batch_row tables: the only module that writes them. Rows are written in
// bulk with one jsonb_to_recordset statement (a batch of 10,000 rows as bound parameters would pass Postgres'
// 65,535-parameter limit); the rest goes through the EntityManager.
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import type {
  BatchStatus,
  OnboardingRowInput,
  PendingOnboardingRow,
  RowStatus,
} from '../../domain/onboarding/contract';
import type { BatchRowRef } from '../../domain/partners/contract';
import { OnboardingBatch, OnboardingBatchRow, type OnboardingBatchEntity } from '../entities/partners';

const CANCELLED_ROW_ERROR = 'the batch was cancelled';

export interface NewBatchRow {
  rowNumber: number;
  input: Record<string, unknown>;
  status: 'PENDING' | 'FAILED';
  error: string | null;
}

export async function insertBatch(
  em: EntityManager,
  b: { id: string; tenantId: string; workspaceId: string; createdBy: string | null; rows: NewBatchRow[] },
): Promise<void> {
  em.create(OnboardingBatch, {
    id: b.id,
    tenant: b.tenantId,
    workspace: b.workspaceId,
    createdBy: b.createdBy,
    status: 'RUNNING',
    total: b.rows.length,
    createdAt: new Date(),
  });
  await em.flush();
  await em.execute(
    `insert into onboarding_batch_row (batch_id, row_number, input, status, error, updated_at)
     select ?, x.row_number, x.input, x.status, x.error, now()
       from jsonb_to_recordset(?::jsonb) as x(row_number int, input jsonb, status text, error text)`,
    [
      b.id,
      JSON.stringify(
        b.rows.map((r) => ({ row_number: r.rowNumber, input: r.input, status: r.status, error: r.error })),
      ),
    ],
  );
}

/**
 * Writes the batch as CANCELLED with no rows unless it exists; returns whether it existed. A late insert of the
 * same batch then fails on its primary key, so a batch whose rows were never stored can never start RUNNING.
 */
export async function settleBatch(
  em: EntityManager,
  b: { id: string; tenantId: string; workspaceId: string; createdBy: string | null },
): Promise<'EXISTS' | 'SETTLED'> {
  const inserted = await em.execute<{ affectedRows: number }>(
    `insert into onboarding_batch (id, tenant_id, workspace_id, created_by, status, total, created_at, completed_at)
     values (?, ?, ?, ?, 'CANCELLED', 0, now(), now()) on conflict (id) do nothing`,
    [b.id, b.tenantId, b.workspaceId, b.createdBy],
    'run',
  );
  return inserted.affectedRows > 0 ? 'SETTLED' : 'EXISTS';
}

export function lockBatch(
  em: EntityManager,
  batchId: string,
  tenantId?: string,
): Promise<OnboardingBatchEntity | null> {
  return em.findOne(OnboardingBatch, tenantId ? { id: batchId, tenant: tenantId } : { id: batchId }, {
    lockMode: LockMode.PESSIMISTIC_WRITE,
  });
}

export async function batchExists(em: EntityManager, tenantId: string, batchId: string): Promise<boolean> {
  return (await em.count(OnboardingBatch, { id: batchId, tenant: tenantId })) > 0;
}

/** Sets the batch's final status (first finish wins) and its completion time. */
export async function updateBatch(
  em: EntityManager,
  batch: OnboardingBatchEntity,
  changes: { status?: BatchStatus; completedAt?: Date },
): Promise<void> {
  em.assign(batch, changes);
  await em.flush();
}

/** Rows never started become SKIPPED; returns how many. The one place a row is skipped. */
export async function skipPendingRows(em: EntityManager, batchId: string): Promise<number> {
  return em.nativeUpdate(
    OnboardingBatchRow,
    { batch: batchId, status: 'PENDING' },
    { status: 'SKIPPED', error: CANCELLED_ROW_ERROR, updatedAt: new Date() },
  );
}

/** Marks the row RUNNING for this partner; false when it was skipped or already finished. */
export async function startBatchRow(
  em: EntityManager,
  row: BatchRowRef,
  partnerId: string,
): Promise<boolean> {
  const updated = await em.nativeUpdate(
    OnboardingBatchRow,
    { batch: row.batchId, rowNumber: row.rowNumber, status: { $in: ['PENDING', 'RUNNING'] } },
    { status: 'RUNNING', partner: partnerId, updatedAt: new Date() },
  );
  return updated > 0;
}

/** Ends a row that is still PENDING or RUNNING (finished rows stay as they are). */
export async function finishBatchRow(
  em: EntityManager,
  row: BatchRowRef,
  status: 'SUCCEEDED' | 'FAILED',
  error: string | null,
): Promise<void> {
  await em.nativeUpdate(
    OnboardingBatchRow,
    { batch: row.batchId, rowNumber: row.rowNumber, status: { $in: ['PENDING', 'RUNNING'] } },
    { status, error: error?.slice(0, 1000) ?? null, updatedAt: new Date() },
  );
}

/** The next page of PENDING rows after `afterRowNumber`, in file order. */
export async function pendingRows(
  em: EntityManager,
  batchId: string,
  afterRowNumber: number,
  limit: number,
): Promise<PendingOnboardingRow[]> {
  const rows = await em.find(
    OnboardingBatchRow,
    { batch: batchId, status: 'PENDING', rowNumber: { $gt: afterRowNumber } },
    { orderBy: { rowNumber: 'asc' }, limit, fields: ['rowNumber', 'input'] },
  );
  return rows.map((r) => ({ rowNumber: r.rowNumber, input: r.input as unknown as OnboardingRowInput }));
}

export interface BatchSummary {
  id: string;
  status: BatchStatus;
  total: number;
  succeeded: number;
  failed: number;
  pending: number;
  skipped: number;
  createdAt: string;
  completedAt: string | null;
}

/** The batch with its row counts by outcome, or null when it is not this tenant's. */
export async function batchSummary(
  em: EntityManager,
  tenantId: string,
  batchId: string,
): Promise<BatchSummary | null> {
  const [row] = await em.execute<
    {
      id: string;
      status: BatchStatus;
      total: number;
      created_at: Date;
      completed_at: Date | null;
      succeeded: string;
      failed: string;
      pending: string;
      skipped: string;
    }[]
  >(
    `select b.id, b.status, b.total, b.created_at, b.completed_at,
            count(r.*) filter (where r.status = 'SUCCEEDED') as succeeded,
            count(r.*) filter (where r.status = 'FAILED') as failed,
            count(r.*) filter (where r.status in ('PENDING', 'RUNNING')) as pending,
            count(r.*) filter (where r.status = 'SKIPPED') as skipped
       from onboarding_batch b left join onboarding_batch_row r on r.batch_id = b.id
      where b.id = ? and b.tenant_id = ?
      group by b.id`,
    [batchId, tenantId],
  );
  if (!row) return null;
  return {
    id: row.id,
    status: row.status,
    total: Number(row.total),
    succeeded: Number(row.succeeded),
    failed: Number(row.failed),
    pending: Number(row.pending),
    skipped: Number(row.skipped),
    createdAt: new Date(row.created_at).toISOString(),
    completedAt: row.completed_at ? new Date(row.completed_at).toISOString() : null,
  };
}

export interface StoredRow {
  rowNumber: number;
  input: Record<string, unknown>;
  status: RowStatus;
  partnerId: string | null;
  error: string | null;
}

/** A page of rows in file order after `afterRowNumber` (optionally of one status); fetches limit+1. */
export async function batchRows(
  em: EntityManager,
  q: { batchId: string; status?: RowStatus; afterRowNumber: number; limit: number },
): Promise<StoredRow[]> {
  const rows = await em.find(
    OnboardingBatchRow,
    {
      batch: q.batchId,
      rowNumber: { $gt: q.afterRowNumber },
      ...(q.status ? { status: q.status } : {}),
    },
    { orderBy: { rowNumber: 'asc' }, limit: q.limit + 1 },
  );
  return rows.map((r) => ({
    rowNumber: r.rowNumber,
    input: r.input,
    status: r.status as RowStatus,
    partnerId: r.partner ?? null,
    error: r.error ?? null,
  }));
}

/** Row counts by final outcome (for the batch's audit row). */
export async function rowOutcomes(
  em: EntityManager,
  batchId: string,
): Promise<{ succeeded: number; failed: number; skipped: number }> {
  const [counts] = await em.execute<Record<string, string>[]>(
    `select count(*) filter (where status = 'SUCCEEDED') as succeeded,
            count(*) filter (where status = 'FAILED') as failed,
            count(*) filter (where status = 'SKIPPED') as skipped
       from onboarding_batch_row where batch_id = ?`,
    [batchId],
  );
  return {
    succeeded: Number(counts?.succeeded ?? 0),
    failed: Number(counts?.failed ?? 0),
    skipped: Number(counts?.skipped ?? 0),
  };
}
