// Bulk partner onboarding: a JSON or CSV batch is validated row by row, stored, and run by the onboarding workflow.
// Start policy: the workflow is started first, then the batch is committed, then the workflow is told (signal).
// A failed start stores nothing; a crash or failed commit after the start is settled by the workflow itself
// (domain/onboarding/settle-unstored-batch.ts), so no batch stays RUNNING with nothing working on it.
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { AppError, notFound } from '../../domain/errors';
import { cancelOnboardingBatch } from '../../domain/onboarding/cancel-onboarding-batch';
import {
  BATCH_STATUSES,
  batchStoredSignal,
  cancelOnboardingSignal,
  MAX_BATCH_ROWS,
  onboardingBatchWorkflowId,
  ROW_STATUSES,
  type OnboardPartnersInput,
} from '../../domain/onboarding/contract';
import { createOnboardingBatch } from '../../domain/onboarding/create-onboarding-batch';
import { csvRows } from '../../domain/onboarding/rows';
import { signalWorkflow, startWorkflow } from '../../domain/workflow-start';
import { batchExists, batchRows, batchSummary } from '../../db/store/onboarding';
import type { onboardPartnersWorkflow } from '../../workflows/onboard-partners';
import { actorOf } from '../actor';
import type { AppEnv } from '../context';
import { fieldProblems } from '../errors';
import {
  COMMON_ERRORS,
  IdParam,
  createRouter,
  defineRoute,
  jsonContent,
  problemResponse,
  z,
} from '../openapi';

const JsonBatchSchema = z.strictObject({ rows: z.array(z.unknown()).min(1).max(MAX_BATCH_ROWS) });

const BatchAccepted = z
  .object({ id: z.uuid(), status: z.literal('RUNNING'), total: z.number().int(), workflowId: z.string() })
  .openapi('OnboardingBatchAccepted');

const BatchOut = z
  .object({
    id: z.uuid(),
    status: z.enum(BATCH_STATUSES),
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
      const tenantId = auth.workspace.tenantId;
      const raw = await readRows(c);
      const batchId = randomUUID();
      const workflowId = onboardingBatchWorkflowId(batchId);
      const input: OnboardPartnersInput = {
        batchId,
        tenantId,
        workspaceId: auth.workspace.id,
        actorUserId: auth.user.id,
        concurrency: config.ONBOARDING_CONCURRENCY,
        invitationTtlMs: config.INVITATION_TTL_MS,
        afterRowNumber: 0,
      };
      await startWorkflow<typeof onboardPartnersWorkflow>(
        { temporal, taskQueue },
        {
          workflowType: 'onboardPartnersWorkflow',
          workflowId,
          args: [input],
          searchScope: { tenantId, workspaceId: auth.workspace.id },
          summary: `Onboarding batch ${batchId}: ${raw.length} partners`,
          details:
            'Provisions each row as a partner; cancel it with POST /v1/tenant/onboarding-batches/:id/cancel.',
        },
      );
      const { total } = await createOnboardingBatch(
        c.get('em'),
        { batchId, tenantId, workflowId, rows: raw },
        actorOf(c),
      );
      // Stored: the workflow may go on. If this signal is lost, the workflow finds the batch on its own.
      await signalWorkflow(temporal, workflowId, batchStoredSignal).catch((err: unknown) => {
        c.get('deps').logger.warn({ err, workflowId }, 'could not signal the stored batch');
        return false;
      });
      return c.json({ id: batchId, status: 'RUNNING' as const, total, workflowId }, 202);
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
      const tenantId = c.get('auth').workspace.tenantId;
      const { id } = c.req.valid('param');
      const em = c.get('em');
      if (await cancelOnboardingBatch(em, { tenantId, batchId: id }, actorOf(c))) {
        await signalWorkflow(c.get('deps').temporal, onboardingBatchWorkflowId(id), cancelOnboardingSignal);
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
      if (!(await batchExists(em, c.get('auth').workspace.tenantId, id))) throw notFound('onboarding batch');
      const rows = await batchRows(em, {
        batchId: id,
        status: q.status,
        afterRowNumber: Number(q.cursor ?? 0),
        limit: q.limit,
      });
      const page = rows.slice(0, q.limit);
      return c.json(
        {
          data: page,
          nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.rowNumber) : null,
        },
        200,
      );
    },
  );
