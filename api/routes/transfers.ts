// Partner transfers: create (Idempotency-Key, step-up MFA when the workspace asks for it, answered once funds are
// held), list, detail with events, cancel, and the four-eyes decision (approve, reject).
import type { Context } from 'hono';
import { findTransferSecurity } from '../../db/store/transfer-security';
import { findTransfer, listTransferEvents } from '../../db/store/transfers';
import { findWallet } from '../../db/store/wallets';
import { AppError } from '../../domain/errors';
import { verifyStepUpCode } from '../../domain/identity/verify-step-up-code';
import {
  canCancel,
  cancelTransferUpdate,
  decideApprovalUpdate,
  selfTransferRefusal,
  TRANSFER_REFUSALS,
  transferWorkflowId,
  type TransferRequest,
} from '../../domain/transfers';
import { decisionRefusal, needsApproval, thresholdFor } from '../../domain/transfers/approval';
import { claimTransferKey, transferRefusalError } from '../../domain/transfers/claim-transfer-key';
import { listTransfers } from '../../domain/transfers/list-transfers';
import { recordTransferRefusal } from '../../domain/transfers/record-transfer-refusal';
import { startTransfer } from '../../domain/transfers/start-transfer';
import { updateWorkflow } from '../../domain/workflow-start';
import { actorOf } from '../actor';
import type { AppDeps, AppEnv } from '../context';
import { decodeCursor, pageAnswer } from '../pagination';
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

const CreateTransferHeaders = IdempotencyHeader.extend({
  'mfa-code': z
    .string()
    .max(100)
    .optional()
    .openapi({
      param: { name: 'mfa-code', in: 'header' },
      description: 'A current TOTP code of the caller; required when the workspace turned on step-up MFA.',
      example: '123456',
    }),
});

const DecisionBody = z
  .strictObject({ reason: z.string().trim().min(1).max(500).optional() })
  .openapi('TransferRejection');

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

/**
 * An approver's decision on a transfer of its workspace (another workspace's: 404), applied by the transfer's
 * workflow (its validator refuses the initiator and a second decision); answers the transfer after it.
 */
async function decide(c: Context<AppEnv>, transferId: string, approved: boolean, reason: string | null) {
  const auth = c.get('auth');
  const scope = { workspaceId: auth.workspace.id };
  const transfer = await findTransfer(c.get('em'), transferId, scope);
  if (!transfer) throw new AppError('NOT_FOUND', 'transfer not found');
  const refusal = decisionRefusal({
    initiatorUserId: transfer.createdBy,
    deciderUserId: auth.user.id,
    waiting: transfer.status === 'PENDING_APPROVAL',
  });
  if (refusal) throw new AppError(refusal.code, refusal.message);
  await updateWorkflow(c.get('deps').temporal, transferWorkflowId(transfer.id), decideApprovalUpdate, {
    args: [{ approved, deciderUserId: auth.user.id, reason }],
    whenGone: () => {
      throw new AppError('CONFLICT', 'the transfer is no longer waiting for approval');
    },
  });
  return transferJson((await findTransfer(c.get('em').fork(), transfer.id, scope))!);
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
        'The same Idempotency-Key with the same body returns the same transfer (also to concurrent requests); with a different body 409 IDEMPOTENCY_KEY_REUSED. ' +
        'At or above the workspace’s approval threshold for its currency the transfer is answered PENDING_APPROVAL and waits for another member holding payout.approve. ' +
        'With step-up MFA on, the header MFA-Code must carry a current TOTP code of the caller (used once); it is checked only for a new request: a replay of a key whose transfer exists answers that transfer without a code.',
      access: 'payout.create',
      request: { headers: CreateTransferHeaders, body: jsonBody(CreateTransferBody) },
      responses: {
        201: jsonContent(
          TransferSchema,
          'Funds are held (PROCESSING or PENDING_APPROVAL) or the transfer already COMPLETED',
        ),
        ...COMMON_ERRORS,
        400: problemResponse('VALIDATION_FAILED, or INVALID_MFA_CODE (wrong or replayed step-up code)'),
        403: problemResponse('FORBIDDEN, or MFA_REQUIRED (step-up on and no code, or the caller has no MFA)'),
        409: problemResponse('IDEMPOTENCY_KEY_REUSED'),
        429: problemResponse('RATE_LIMITED (too many wrong step-up codes)'),
        422: problemResponse(REFUSALS),
        503: problemResponse(
          'SERVICE_UNAVAILABLE: the outcome is not known yet (workflow service busy or recovering); retry with the same Idempotency-Key after Retry-After',
        ),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const headers = c.req.valid('header');
      const key = headers['idempotency-key'];
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
      const security = await findTransferSecurity(em, workspaceId);
      if (security.stepUpMfa) {
        await verifyStepUpCode(
          em,
          { code: headers['mfa-code'], encryptionKey: deps.config.MFA_ENCRYPTION_KEY, purpose: 'transfer' },
          actorOf(c),
        );
      }
      const threshold = thresholdFor(security.approvalThresholds, body.currency);
      const approval = needsApproval(security.approvalThresholds, body.currency, BigInt(body.amount))
        ? { ttlMs: deps.config.TRANSFER_APPROVAL_TTL_MS, threshold: String(threshold) }
        : undefined;
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
        approval,
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
      return c.json(pageAnswer(rows, query.limit, transferJson), 200);
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
      summary:
        'Cancel a transfer waiting for approval or not yet submitted to a channel; its hold is released',
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
  )
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/transfers/{id}/approve',
      tags: ['Transfers'],
      summary: 'Approve a transfer waiting for approval (four eyes); it continues as any transfer',
      description:
        'Not by its initiator (403 APPROVAL_NOT_ALLOWED); a transfer no longer waiting (already decided, cancelled, expired) is 409 CONFLICT.',
      access: 'payout.approve',
      request: { params: IdParam },
      responses: {
        200: jsonContent(TransferSchema, 'The transfer after the approval (PROCESSING or COMPLETED)'),
        ...COMMON_ERRORS,
        403: problemResponse('FORBIDDEN, or APPROVAL_NOT_ALLOWED (the initiator)'),
        409: problemResponse('CONFLICT: not waiting for approval'),
      },
    }),
    async (c) => c.json(await decide(c, c.req.valid('param').id, true, null), 200),
  )
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/transfers/{id}/reject',
      tags: ['Transfers'],
      summary:
        'Reject a transfer waiting for approval; its hold is released, it ends FAILED (APPROVAL_REJECTED)',
      description:
        'Optional body `{ reason }` (kept as the failure message). Not by its initiator (403 APPROVAL_NOT_ALLOWED); a transfer no longer waiting is 409 CONFLICT.',
      access: 'payout.approve',
      request: {
        params: IdParam,
        body: { required: false, content: { 'application/json': { schema: DecisionBody } } },
      },
      responses: {
        200: jsonContent(TransferSchema, 'The transfer, FAILED with failureCode APPROVAL_REJECTED'),
        ...COMMON_ERRORS,
        403: problemResponse('FORBIDDEN, or APPROVAL_NOT_ALLOWED (the initiator)'),
        409: problemResponse('CONFLICT: not waiting for approval'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json') as { reason?: string };
      return c.json(await decide(c, c.req.valid('param').id, false, body.reason ?? null), 200);
    },
  );
