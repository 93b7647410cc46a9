// Partner transfers: create (Idempotency-Key, answered once funds are held), list, detail with events, cancel.
import { findTransfer, listTransferEvents } from '../../db/store/transfers';
import { findWallet } from '../../db/store/wallets';
import { AppError } from '../../domain/errors';
import {
  canCancel,
  cancelTransferUpdate,
  selfTransferRefusal,
  TRANSFER_REFUSALS,
  transferWorkflowId,
  type TransferRequest,
} from '../../domain/transfers';
import { claimTransferKey, transferRefusalError } from '../../domain/transfers/claim-transfer-key';
import { listTransfers } from '../../domain/transfers/list-transfers';
import { recordTransferRefusal } from '../../domain/transfers/record-transfer-refusal';
import { startTransfer } from '../../domain/transfers/start-transfer';
import { updateWorkflow } from '../../domain/workflow-start';
import type { AppDeps } from '../context';
import { decodeCursor, pageFrom } from '../pagination';
import { IdempotencyHeader, TransferQuery, TransferSchema, transferJson } from '../render/transfers';
import {
  AmountSchema,
  COMMON_ERRORS,
  createRouter,
  defineRoute,
  IdParam,
  jsonBody,
  jsonContent,
  KnownCurrencySchema,
  pageOf,
  problemResponse,
  z,
} from '../openapi';

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

const TransferWithEvents = TransferSchema.extend({
  events: z.array(z.object({ type: z.string(), at: z.string(), data: z.record(z.string(), z.unknown()) })),
}).openapi('TransferWithEvents');

/** Asks the transfer's workflow to cancel it; a workflow already gone leaves the stored status to answer. */
function cancelThroughWorkflow(deps: AppDeps, transferId: string, actorUserId: string): Promise<void> {
  return updateWorkflow(deps.temporal, transferWorkflowId(transferId), cancelTransferUpdate, {
    args: [{ actorUserId }],
    whenGone: () => undefined,
  });
}

const REFUSALS = `${TRANSFER_REFUSALS.slice(0, -1).join(', ')} or ${TRANSFER_REFUSALS.at(-1)} (nothing held)`;

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
        503: problemResponse(
          'SERVICE_UNAVAILABLE: the outcome is not known yet (workflow service busy or recovering); retry with the same Idempotency-Key after Retry-After',
        ),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const key = c.req.valid('header')['idempotency-key'];
      const auth = c.get('auth');
      const em = c.get('em');
      const workspaceId = auth.workspace.id;
      const source = await findWallet(em, body.sourceWalletId, { workspaceId });
      if (!source) throw new AppError('NOT_FOUND', 'wallet not found');
      const self = selfTransferRefusal(body);
      if (self) throw new AppError(self.code, self.message, { errors: self.field ? [self.field] : [] });
      const claim = await claimTransferKey(em, { workspaceId, key, body });
      if (claim.existing) return c.json(transferJson(claim.existing), 201);
      const deps = c.get('deps');
      const request: TransferRequest = {
        transferId: claim.transferId,
        tenantId: auth.workspace.tenantId,
        workspaceId,
        actorUserId: auth.user.id,
        sourceWalletId: body.sourceWalletId,
        amount: String(body.amount),
        currency: body.currency,
        destination: body.destination,
        reference: body.reference ?? null,
        memo: body.memo ?? null,
        idempotencyKey: key,
      };
      const outcome = await startTransfer(deps, em, {
        request,
        confirmTimeoutMs: deps.config.CHANNEL_CONFIRM_TIMEOUT_MS,
      });
      if (!outcome.ok) {
        await recordTransferRefusal(em, { workspaceId, key }, outcome);
        throw transferRefusalError(outcome.code, outcome.message);
      }
      const transfer = await findTransfer(em, claim.transferId, { workspaceId });
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
      const query = c.req.valid('query');
      const rows = await listTransfers(
        c.get('em'),
        { tenantId: auth.workspace.tenantId, workspaceId: auth.workspace.id },
        { ...query, cursor: decodeCursor(query.cursor) },
      );
      const page = pageFrom(rows, query.limit);
      return c.json({ data: page.rows.map(transferJson), nextCursor: page.nextCursor }, 200);
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
      if (transfer.status !== 'CANCELLED') {
        const verdict = canCancel(transfer);
        if (!verdict.ok) throw new AppError('TRANSFER_NOT_CANCELLABLE', verdict.message);
        await cancelThroughWorkflow(c.get('deps'), transfer.id, auth.user.id);
      }
      const after = (await findTransfer(em.fork(), transfer.id, scope))!;
      if (after.status !== 'CANCELLED') {
        throw new AppError('TRANSFER_NOT_CANCELLABLE', `the transfer is ${after.status.toLowerCase()}`);
      }
      return c.json(transferJson(after), 200);
    },
  );
