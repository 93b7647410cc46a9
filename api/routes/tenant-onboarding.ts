// Bulk partner onboarding: a JSON or CSV batch is validated row by row, stored, and run by the onboarding workflow.
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, notFound } from '../../domain/errors';
import { isKnownCurrency } from '../../domain/money';
import { recordAudit } from '../../db/store/audit';
import { emailsInUse } from '../../db/store/partners';
import type { OnboardingRowInput } from '../../activities/onboarding';
import { operationAttributes } from '../../workflows/search-attributes';
import {
  cancelOnboardingSignal,
  onboardingBatchWorkflowId,
  type OnboardPartnersInput,
  type onboardPartnersWorkflow,
} from '../../workflows/onboard-partners';
import type { AppEnv } from '../context';
import { fieldProblems } from '../errors';
import { clientIp } from '../throttle';
import {
  COMMON_ERRORS,
  IdParam,
  createRouter,
  defineRoute,
  jsonContent,
  problemResponse,
  z,
} from '../openapi';

export const MAX_BATCH_ROWS = 10_000;
const CSV_COLUMNS = ['name', 'adminEmail', 'adminName', 'currencies'] as const;
const ROW_STATUSES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED'] as const;

const RowInputSchema = z.object({
  name: z.string(),
  adminEmail: z.string(),
  adminName: z.string(),
  currencies: z.union([z.array(z.string()), z.string()]),
});

const JsonBatchSchema = z.strictObject({ rows: z.array(z.unknown()).min(1).max(MAX_BATCH_ROWS) });

const BatchAccepted = z
  .object({ id: z.uuid(), status: z.literal('RUNNING'), total: z.number().int(), workflowId: z.string() })
  .openapi('OnboardingBatchAccepted');

const BatchOut = z
  .object({
    id: z.uuid(),
    status: z.enum(['RUNNING', 'COMPLETED', 'CANCELLED']),
    total: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    pending: z.number().int(),
    skipped: z.number().int(),
    createdAt: z.string(),
    completedAt: z.string().nullable(),
  })
  .openapi('OnboardingBatch');

const RowOut = z
  .object({
    rowNumber: z.number().int(),
    input: z.record(z.string(), z.unknown()),
    status: z.enum(ROW_STATUSES),
    partnerId: z.uuid().nullable(),
    error: z.string().nullable(),
  })
  .openapi('OnboardingBatchRow');

const RowsQuery = z.object({
  status: z.enum(ROW_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  cursor: z
    .string()
    .regex(/^\d{1,6}$/, 'not a cursor returned by this API')
    .optional(),
});

interface StoredRow {
  row_number: number;
  input: Record<string, unknown>;
  status: (typeof ROW_STATUSES)[number];
  partner_id: string | null;
  error: string | null;
}

const EmailFormat = z.email();

// ---- parsing -------------------------------------------------------------------------------------------

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks; CRLF or LF line ends. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (quoted) throw new AppError('VALIDATION_FAILED', 'the CSV has an unterminated quoted field');
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records.filter((r) => !(r.length === 1 && r[0]!.trim() === ''));
}

/** CSV rows as raw objects keyed by the header (which must name exactly the four columns, in any order). */
function csvRows(text: string): unknown[] {
  const [header, ...records] = parseCsv(text);
  const columns = (header ?? []).map((h) => h.trim());
  const missing = CSV_COLUMNS.filter((c) => !columns.includes(c));
  const unknown = columns.filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c));
  if (missing.length || unknown.length || columns.length !== CSV_COLUMNS.length) {
    throw new AppError('VALIDATION_FAILED', `the CSV header must be ${CSV_COLUMNS.join(',')}`, {
      errors: [
        {
          path: 'body.header',
          message: `missing: ${missing.join(',') || '-'}; unknown: ${unknown.join(',') || '-'}`,
        },
      ],
    });
  }
  return records.map((fields) =>
    fields.length === columns.length
      ? Object.fromEntries(columns.map((c, i) => [c, fields[i]]))
      : { fields, error: `expected ${columns.length} fields, got ${fields.length}` },
  );
}

async function readRows(c: Context<AppEnv>): Promise<unknown[]> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'text/csv') {
    const rows = csvRows(await c.req.text());
    if (rows.length === 0 || rows.length > MAX_BATCH_ROWS) {
      throw new AppError('VALIDATION_FAILED', `a batch has 1 to ${MAX_BATCH_ROWS} rows`);
    }
    return rows;
  }
  if (type !== 'application/json') {
    throw new AppError('VALIDATION_FAILED', 'send application/json ({ rows }) or text/csv');
  }
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new AppError('VALIDATION_FAILED', 'the body is not valid JSON');
  }
  const parsed = JsonBatchSchema.safeParse(body);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', 'the request is not valid', {
      errors: fieldProblems(parsed.error.issues, 'body'),
    });
  }
  return parsed.data.rows;
}

// ---- validation ----------------------------------------------------------------------------------------

interface CheckedRow {
  rowNumber: number;
  input: Record<string, unknown>;
  valid: OnboardingRowInput | null;
  errors: string[];
}

/** Checks one row on its own: fields present, email format, known currencies. */
function checkRow(raw: unknown, rowNumber: number): CheckedRow {
  const parsed = RowInputSchema.safeParse(raw);
  const input = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : { value: raw };
  if (!parsed.success) {
    const detail = (raw as { error?: string } | null)?.error;
    return {
      rowNumber,
      input,
      valid: null,
      errors: [detail ?? 'expected name, adminEmail, adminName, currencies'],
    };
  }
  const errors: string[] = [];
  const name = parsed.data.name.trim();
  const adminName = parsed.data.adminName.trim();
  const adminEmail = parsed.data.adminEmail.trim().toLowerCase();
  const list =
    typeof parsed.data.currencies === 'string' ? parsed.data.currencies.split(';') : parsed.data.currencies;
  const currencies = [...new Set(list.map((c) => c.trim().toUpperCase()).filter(Boolean))];
  if (!name || name.length > 200) errors.push('name: 1 to 200 characters');
  if (!adminName || adminName.length > 200) errors.push('adminName: 1 to 200 characters');
  if (adminEmail.length > 320 || !EmailFormat.safeParse(adminEmail).success) {
    errors.push(`adminEmail: ${parsed.data.adminEmail || '(empty)'} is not a valid email`);
  }
  if (currencies.length === 0) errors.push('currencies: at least one currency');
  const unknown = currencies.filter((c) => !isKnownCurrency(c));
  if (unknown.length) errors.push(`currencies: unknown currency ${unknown.join(', ')}`);
  return {
    rowNumber,
    input,
    valid: errors.length ? null : { name, adminEmail, adminName, currencies },
    errors,
  };
}

/** Every row checked: on its own, against earlier rows (the first occurrence wins) and existing accounts. */
async function checkRows(em: EntityManager, raw: unknown[]): Promise<CheckedRow[]> {
  const rows = raw.map((r, i) => checkRow(r, i + 1));
  const firstRow = new Map<string, number>();
  for (const row of rows) {
    if (!row.valid) continue;
    const first = firstRow.get(row.valid.adminEmail);
    if (first !== undefined) {
      row.errors.push(`adminEmail: already used by row ${first} of this batch`);
      row.valid = null;
    } else firstRow.set(row.valid.adminEmail, row.rowNumber);
  }
  const taken = await emailsInUse(em, [...firstRow.keys()]);
  for (const row of rows) {
    if (row.valid && taken.has(row.valid.adminEmail)) {
      row.errors.push(`adminEmail: ${row.valid.adminEmail} is already used by an existing partner or user`);
      row.valid = null;
    }
  }
  return rows;
}

// ---- reads ---------------------------------------------------------------------------------------------

async function batchSummary(em: EntityManager, tenantId: string, batchId: string) {
  const [row] = await em.execute<
    {
      id: string;
      status: 'RUNNING' | 'COMPLETED' | 'CANCELLED';
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

// ---- routes --------------------------------------------------------------------------------------------

export const tenantOnboardingRouter = createRouter()
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/tenant/onboarding-batches',
      tags: ['Tenant'],
      summary: 'Onboard partners in bulk from JSON rows or a CSV file (name,adminEmail,adminName,currencies)',
      description:
        'Every row is validated first; a bad row (invalid email, unknown currency, an admin email already in use or ' +
        'repeated from an earlier row) is reported as FAILED with its reason and the batch goes on. Up to 10,000 rows, ' +
        '16 MiB. In CSV, currencies are separated by `;`.',
      access: 'tenant.onboarding.manage',
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['rows'],
                properties: {
                  rows: {
                    type: 'array',
                    minItems: 1,
                    maxItems: MAX_BATCH_ROWS,
                    items: {
                      type: 'object',
                      properties: {
                        name: { type: 'string' },
                        adminEmail: { type: 'string' },
                        adminName: { type: 'string' },
                        currencies: { type: 'array', items: { type: 'string' } },
                      },
                    },
                  },
                },
              },
            },
            'text/csv': { schema: { type: 'string' } },
          },
        },
      },
      responses: {
        202: jsonContent(BatchAccepted, 'The batch is running'),
        ...COMMON_ERRORS,
        413: problemResponse('PAYLOAD_TOO_LARGE'),
      },
    }),
    async (c) => {
      const auth = c.get('auth');
      const { temporal, taskQueue, config } = c.get('deps');
      const em = c.get('em');
      const tenantId = auth.workspace.tenantId;
      const rows = await checkRows(em, await readRows(c));
      const batchId = randomUUID();
      const workflowId = onboardingBatchWorkflowId(batchId);
      const failed = rows.filter((r) => !r.valid).length;
      await em.transactional(async (tx) => {
        await tx.execute(
          `insert into onboarding_batch (id, tenant_id, workspace_id, created_by, status, total, created_at)
           values (?, ?, ?, ?, 'RUNNING', ?, now())`,
          [batchId, tenantId, auth.workspace.id, auth.user.id, rows.length],
        );
        await tx.execute(
          `insert into onboarding_batch_row (batch_id, row_number, input, status, error, updated_at)
           select ?, x.row_number, x.input, x.status, x.error, now()
             from jsonb_to_recordset(?::jsonb) as x(row_number int, input jsonb, status text, error text)`,
          [
            batchId,
            JSON.stringify(
              rows.map((r) => ({
                row_number: r.rowNumber,
                input: r.valid ?? r.input,
                status: r.valid ? 'PENDING' : 'FAILED',
                error: r.valid ? null : r.errors.join('; ').slice(0, 1000),
              })),
            ),
          ],
        );
        await recordAudit(tx, {
          tenantId,
          workspaceId: auth.workspace.id,
          actorUserId: auth.user.id,
          action: 'onboarding.batch_created',
          targetType: 'onboarding_batch',
          targetId: batchId,
          data: { total: rows.length, invalid: failed, workflowId },
          ip: clientIp(c),
          requestId: c.get('requestId'),
        });
      });
      const input: OnboardPartnersInput = {
        batchId,
        tenantId,
        workspaceId: auth.workspace.id,
        actorUserId: auth.user.id,
        concurrency: config.ONBOARDING_CONCURRENCY,
        invitationTtlMs: config.INVITATION_TTL_MS,
        afterRowNumber: 0,
      };
      await temporal.workflow.start<typeof onboardPartnersWorkflow>('onboardPartnersWorkflow', {
        taskQueue,
        workflowId,
        args: [input],
        typedSearchAttributes: operationAttributes(tenantId, auth.workspace.id),
      });
      return c.json({ id: batchId, status: 'RUNNING' as const, total: rows.length, workflowId }, 202);
    },
  )
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/tenant/onboarding-batches/{id}',
      tags: ['Tenant'],
      summary: "A batch's progress",
      access: 'tenant.onboarding.manage',
      request: { params: IdParam },
      responses: { 200: jsonContent(BatchOut, 'The batch'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const batch = await batchSummary(
        c.get('em'),
        c.get('auth').workspace.tenantId,
        c.req.valid('param').id,
      );
      if (!batch) throw notFound('onboarding batch');
      return c.json(batch, 200);
    },
  )
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/tenant/onboarding-batches/{id}/cancel',
      tags: ['Tenant'],
      summary: 'Cancel a batch: rows not yet started are skipped; rows in progress finish',
      access: 'tenant.onboarding.manage',
      request: { params: IdParam },
      responses: {
        200: jsonContent(BatchOut, 'The batch, CANCELLED'),
        ...COMMON_ERRORS,
        409: problemResponse('CONFLICT: the batch has already completed'),
      },
    }),
    async (c) => {
      const auth = c.get('auth');
      const tenantId = auth.workspace.tenantId;
      const { id } = c.req.valid('param');
      const em = c.get('em');
      const changed = await em.transactional(async (tx) => {
        const [batch] = await tx.execute<{ status: string }[]>(
          'select status from onboarding_batch where id = ? and tenant_id = ? for update',
          [id, tenantId],
        );
        if (!batch) throw notFound('onboarding batch');
        if (batch.status === 'CANCELLED') return false;
        if (batch.status !== 'RUNNING') throw new AppError('CONFLICT', 'the batch has already completed');
        await tx.execute(`update onboarding_batch set status = 'CANCELLED' where id = ?`, [id]);
        const skipped = await tx.execute<{ affectedRows: number }>(
          `update onboarding_batch_row set status = 'SKIPPED', error = 'the batch was cancelled', updated_at = now()
            where batch_id = ? and status = 'PENDING'`,
          [id],
          'run',
        );
        await recordAudit(tx, {
          tenantId,
          workspaceId: auth.workspace.id,
          actorUserId: auth.user.id,
          action: 'onboarding.batch_cancelled',
          targetType: 'onboarding_batch',
          targetId: id,
          data: { skipped: skipped.affectedRows },
          ip: clientIp(c),
          requestId: c.get('requestId'),
        });
        return true;
      });
      if (changed) {
        await c
          .get('deps')
          .temporal.workflow.getHandle(onboardingBatchWorkflowId(id))
          .signal(cancelOnboardingSignal);
      }
      return c.json((await batchSummary(em, tenantId, id))!, 200);
    },
  )
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/tenant/onboarding-batches/{id}/rows',
      tags: ['Tenant'],
      summary: "A batch's rows in file order, with their outcome (filter: status)",
      access: 'tenant.onboarding.manage',
      request: { params: IdParam, query: RowsQuery },
      responses: {
        200: jsonContent(z.object({ data: z.array(RowOut), nextCursor: z.string().nullable() }), 'The rows'),
        ...COMMON_ERRORS,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      const em = c.get('em');
      const [batch] = await em.execute('select 1 from onboarding_batch where id = ? and tenant_id = ?', [
        id,
        c.get('auth').workspace.tenantId,
      ]);
      if (!batch) throw notFound('onboarding batch');
      const rows = await em.execute<StoredRow[]>(
        `select row_number, input, status, partner_id, error from onboarding_batch_row
          where batch_id = ? and (?::text is null or status = ?) and row_number > ?
          order by row_number limit ?`,
        [id, q.status ?? null, q.status ?? null, Number(q.cursor ?? 0), q.limit + 1],
      );
      const page = rows.slice(0, q.limit);
      return c.json(
        {
          data: page.map((r) => ({
            rowNumber: Number(r.row_number),
            input: r.input,
            status: r.status,
            partnerId: r.partner_id,
            error: r.error,
          })),
          nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.row_number) : null,
        },
        200,
      );
    },
  );
