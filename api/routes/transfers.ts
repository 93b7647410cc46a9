// Partner transfers: create (Idempotency-Key, answered once funds are held), list, detail with events, cancel.
import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, isErrorCode } from '../../domain/errors';
import {
  requestFingerprint,
  TRANSFER_STATUSES,
  transferIdFor,
  transferWorkflowId,
  type TransferRequest,
} from '../../domain/ledger';
import { isKnownCurrency, toApiAmount } from '../../domain/money';
import { findTransfer, listTransferEvents, listTransfers, type TransferRow } from '../../db/store/transfers';
import { findWallet } from '../../db/store/wallets';
import { operationAttributes } from '../../workflows/search-attributes';
import {
  cancelTransferUpdate,
  holdOutcomeUpdate,
  type executeTransferWorkflow,
  type HoldOutcome,
} from '../../workflows/execute-transfer';
import type { AppDeps } from '../context';
import { decodeCursor, pageFrom } from '../pagination';
import { businessFailure } from '../temporal';
import {
  AmountSchema,
  COMMON_ERRORS,
  createRouter,
  CurrencySchema,
  defineRoute,
  IdParam,
  jsonBody,
  jsonContent,
  PageQuery,
  pageOf,
  problemResponse,
  z,
} from '../openapi';

export const KnownCurrencySchema = CurrencySchema.refine(isKnownCurrency, 'unknown ISO 4217 currency');

export const IdempotencyHeader = z.object({
  'idempotency-key': z
    .string({ error: 'the Idempotency-Key header is required' })
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .openapi({ param: { name: 'idempotency-key', in: 'header' }, example: 'payout-2026-11-21-0001' }),
});

const Beneficiary = z.strictObject({
  name: z.string().trim().min(1).max(200),
  accountNumber: z.string().regex(/^[0-9A-Za-z-]{4,34}$/, '4 to 34 letters, digits or dashes'),
  bankCode: z.string().trim().min(1).max(20).optional(),
});

const Destination = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('WALLET'), walletId: z.uuid() }),
  z.strictObject({
    type: z.literal('CHANNEL'),
    channelProductCode: z.string().min(1).max(50),
    beneficiary: Beneficiary,
  }),
]);

const CreateTransferBody = z
  .strictObject({
    sourceWalletId: z.uuid(),
    amount: AmountSchema,
    currency: KnownCurrencySchema,
    destination: Destination,
    reference: z.string().trim().min(1).max(200).optional(),
    memo: z.string().trim().min(1).max(500).optional(),
  })
  .openapi('CreateTransfer');

export const TransferSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(TRANSFER_STATUSES),
    sourceWalletId: z.uuid(),
    destination: z.record(z.string(), z.unknown()),
    amount: z.number().int(),
    fee: z.number().int(),
    currency: z.string(),
    reference: z.string().nullable(),
    memo: z.string().nullable(),
    failureCode: z.string().nullable(),
    failureMessage: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    completedAt: z.string().nullable(),
  })
  .openapi('Transfer');

const TransferWithEvents = TransferSchema.extend({
  events: z.array(z.object({ type: z.string(), at: z.string(), data: z.record(z.string(), z.unknown()) })),
}).openapi('TransferWithEvents');

export const TransferQuery = PageQuery.extend({
  status: z.enum(TRANSFER_STATUSES).optional(),
  walletId: z.uuid().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  minAmount: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  maxAmount: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  reference: z.string().max(200).optional(),
});

export function transferJson(t: TransferRow) {
  return {
    id: t.id,
    status: t.status as (typeof TRANSFER_STATUSES)[number],
    sourceWalletId: t.sourceWalletId,
    destination: t.destination,
    amount: toApiAmount(t.amount),
    fee: toApiAmount(t.fee),
    currency: t.currency,
    reference: t.reference,
    memo: t.memo,
    failureCode: t.failureCode,
    failureMessage: t.failureMessage,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    completedAt: t.completedAt?.toISOString() ?? null,
  };
}

/** Runs a transfer listing with the shared filters (a partner's workspace or the whole tenant). */
export async function transferPage(
  em: EntityManager,
  scope: { tenantId: string; workspaceId?: string },
  query: z.infer<typeof TransferQuery>,
) {
  if (query.from && query.to && Date.parse(query.from) > Date.parse(query.to)) {
    throw new AppError('VALIDATION_FAILED', '`from` is after `to`', {
      errors: [{ path: 'query.from', message: 'must not be after to' }],
    });
  }
  const rows = await listTransfers(em, {
    ...scope,
    status: query.status,
    walletId: query.walletId,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
    minAmount: query.minAmount,
    maxAmount: query.maxAmount,
    reference: query.reference,
    cursor: decodeCursor(query.cursor),
    limit: query.limit,
  });
  const page = pageFrom(rows, query.limit);
  return { data: page.rows.map(transferJson), nextCursor: page.nextCursor };
}

interface IdempotencyRow {
  request_hash: string;
  refusal_code: string | null;
  refusal_message: string | null;
}

/** Claims (scope, key) for this request; a different body under the same key is 409 IDEMPOTENCY_KEY_REUSED. */
export async function claimIdempotencyKey(
  em: EntityManager,
  claim: { scope: string; key: string; fingerprint: string; resourceId: string },
): Promise<IdempotencyRow> {
  await em.execute(
    `insert into idempotency_record (scope, key, request_hash, resource_id, created_at)
     values (?, ?, ?, ?, now()) on conflict (scope, key) do nothing`,
    [claim.scope, claim.key, claim.fingerprint, claim.resourceId],
  );
  const [row] = await em.execute<IdempotencyRow[]>(
    'select request_hash, refusal_code, refusal_message from idempotency_record where scope = ? and key = ?',
    [claim.scope, claim.key],
  );
  if (row!.request_hash !== claim.fingerprint) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different request');
  }
  return row!;
}

/**
 * Starts the transfer workflow (or joins the running one: USE_EXISTING) and waits for the hold outcome
 * (Update-with-Start). A closed workflow is never started again (REJECT_DUPLICATE): its result is the outcome.
 */
async function startTransfer(deps: AppDeps, request: TransferRequest): Promise<HoldOutcome> {
  const workflowId = transferWorkflowId(request.transferId);
  const startOperation = new WithStartWorkflowOperation<typeof executeTransferWorkflow>(
    'executeTransferWorkflow',
    {
      taskQueue: deps.taskQueue,
      workflowId,
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: operationAttributes(request.tenantId, request.workspaceId),
      args: [{ request, confirmTimeoutMs: deps.config.CHANNEL_CONFIRM_TIMEOUT_MS }],
    },
  );
  try {
    return await deps.temporal.workflow.executeUpdateWithStart(holdOutcomeUpdate, {
      startWorkflowOperation: startOperation,
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      return (await deps.temporal.workflow.getHandle(workflowId).result()) as HoldOutcome;
    }
    throw businessFailure(err) ?? err;
  }
}

async function recordRefusal(
  em: EntityManager,
  scope: string,
  key: string,
  outcome: { code: string; message: string },
) {
  await em.execute(
    'update idempotency_record set refusal_code = ?, refusal_message = ? where scope = ? and key = ?',
    [outcome.code, outcome.message.slice(0, 500), scope, key],
  );
}

function refusalError(code: string, message: string): AppError {
  return isErrorCode(code) ? new AppError(code, message) : new AppError('INTERNAL', message);
}

async function cancelThroughWorkflow(
  temporal: Client,
  transfer: TransferRow,
  actorUserId: string,
): Promise<void> {
  try {
    await temporal.workflow
      .getHandle(transferWorkflowId(transfer.id))
      .executeUpdate(cancelTransferUpdate, { args: [{ actorUserId }] });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw businessFailure(err.cause) ?? err;
    if (err instanceof WorkflowNotFoundError) return;
    throw businessFailure(err) ?? err;
  }
}

const REFUSALS =
  'INSUFFICIENT_FUNDS, WALLET_NOT_ACTIVE, CURRENCY_MISMATCH, LIMIT_EXCEEDED, CHANNEL_UNAVAILABLE or DESTINATION_NOT_FOUND (nothing held)';

export const transfersRouter = createRouter()
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/transfers',
      tags: ['Transfers'],
      summary: 'Start a transfer; answered once the funds are held',
      description:
        'The same Idempotency-Key with the same body returns the same transfer (also to concurrent requests); with a different body 409 IDEMPOTENCY_KEY_REUSED.',
      access: 'payout.create',
      request: { headers: IdempotencyHeader, body: jsonBody(CreateTransferBody) },
      responses: {
        201: jsonContent(TransferSchema, 'Funds are held (PROCESSING) or the transfer already COMPLETED'),
        ...COMMON_ERRORS,
        409: problemResponse('IDEMPOTENCY_KEY_REUSED'),
        422: problemResponse(REFUSALS),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const key = c.req.valid('header')['idempotency-key'];
      const auth = c.get('auth');
      const em = c.get('em');
      const source = await findWallet(em, body.sourceWalletId, { workspaceId: auth.workspace.id });
      if (!source) throw new AppError('NOT_FOUND', 'wallet not found');
      if (body.destination.type === 'WALLET' && body.destination.walletId === body.sourceWalletId) {
        throw new AppError('VALIDATION_FAILED', 'a wallet cannot transfer to itself', {
          errors: [{ path: 'body.destination.walletId', message: 'must differ from sourceWalletId' }],
        });
      }
      const transferId = transferIdFor(auth.workspace.id, key);
      const scope = `transfers:${auth.workspace.id}`;
      const claim = await claimIdempotencyKey(em, {
        scope,
        key,
        fingerprint: requestFingerprint(body),
        resourceId: transferId,
      });
      if (claim.refusal_code) throw refusalError(claim.refusal_code, claim.refusal_message ?? 'refused');
      const existing = await findTransfer(em, transferId, { workspaceId: auth.workspace.id });
      if (existing) return c.json(transferJson(existing), 201);
      const outcome = await startTransfer(c.get('deps'), {
        transferId,
        tenantId: auth.workspace.tenantId,
        workspaceId: auth.workspace.id,
        actorUserId: auth.user.id,
        sourceWalletId: body.sourceWalletId,
        amount: String(body.amount),
        currency: body.currency,
        destination: body.destination,
        reference: body.reference ?? null,
        memo: body.memo ?? null,
        idempotencyKey: key,
      });
      if (!outcome.ok) {
        await recordRefusal(em, scope, key, outcome);
        throw refusalError(outcome.code, outcome.message);
      }
      const transfer = await findTransfer(em, transferId, { workspaceId: auth.workspace.id });
      return c.json(transferJson(transfer!), 201);
    },
  )
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/transfers',
      tags: ['Transfers'],
      summary: "The workspace's transfers, newest first",
      access: 'payout.view',
      request: { query: TransferQuery },
      responses: { 200: jsonContent(pageOf(TransferSchema), 'A page of transfers'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const auth = c.get('auth');
      const page = await transferPage(
        c.get('em'),
        { tenantId: auth.workspace.tenantId, workspaceId: auth.workspace.id },
        c.req.valid('query'),
      );
      return c.json(page, 200);
    },
  )
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/transfers/{id}',
      tags: ['Transfers'],
      summary: 'A transfer with its event timeline',
      access: 'payout.view',
      request: { params: IdParam },
      responses: { 200: jsonContent(TransferWithEvents, 'The transfer'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const em = c.get('em');
      const transfer = await findTransfer(em, c.req.valid('param').id, {
        workspaceId: c.get('auth').workspace.id,
      });
      if (!transfer) throw new AppError('NOT_FOUND', 'transfer not found');
      const events = await listTransferEvents(em, transfer.id);
      return c.json(
        { ...transferJson(transfer), events: events.map((e) => ({ ...e, at: e.at.toISOString() })) },
        200,
      );
    },
  )
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/transfers/{id}/cancel',
      tags: ['Transfers'],
      summary: 'Cancel a transfer not yet submitted to a channel; its hold is released',
      access: 'payout.cancel',
      request: { params: IdParam },
      responses: {
        200: jsonContent(TransferSchema, 'The transfer, CANCELLED'),
        ...COMMON_ERRORS,
        409: problemResponse('TRANSFER_NOT_CANCELLABLE'),
      },
    }),
    async (c) => {
      const auth = c.get('auth');
      const scope = { workspaceId: auth.workspace.id };
      const em = c.get('em');
      const transfer = await findTransfer(em, c.req.valid('param').id, scope);
      if (!transfer) throw new AppError('NOT_FOUND', 'transfer not found');
      if (transfer.status === 'PROCESSING')
        await cancelThroughWorkflow(c.get('deps').temporal, transfer, auth.user.id);
      const after = (await findTransfer(em.fork(), transfer.id, scope))!;
      if (after.status !== 'CANCELLED') {
        throw new AppError('TRANSFER_NOT_CANCELLABLE', `the transfer is ${after.status.toLowerCase()}`);
      }
      return c.json(transferJson(after), 200);
    },
  );
