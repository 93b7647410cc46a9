// Callbacks from payment channels (public, HMAC-signed): the bank's verdict is stored first (once per transfer
// and verdict), then signalled to the running transfer workflow; a verdict for a closed transfer that contradicts
// its final state starts settleLateVerdictWorkflow (correcting posting + operator alert). Never dropped.
import { WorkflowNotFoundError } from '@temporalio/client';
import { CALLBACK_SIGNATURE_HEADER, SANDBOX_BANK_CALLBACK_PATH, verifyCallback } from '../../domain/channels';
import { AppError } from '../../domain/errors';
import { channelResultSignal, transferWorkflowId } from '../../domain/transfers';
import { lateVerdictWorkflowId, type PayoutVerdict } from '../../domain/payouts/contract';
import { recordChannelVerdict } from '../../domain/payouts/record-verdict';
import { verdictContradicts } from '../../domain/payouts/rules';
import { findTransfer, type TransferRow } from '../../db/store/transfers';
import { operationAttributes } from '../../workflows/search-attributes';
import type { settleLateVerdictWorkflow } from '../../workflows/settle-late-verdict';
import type { AppDeps } from '../context';
import { fieldProblems } from '../errors';
import { createRouter, defineRoute, jsonContent, problemResponse, z } from '../openapi';

const CallbackBody = z
  .strictObject({
    transferId: z.uuid(),
    status: z.enum(['CONFIRMED', 'REJECTED']),
    bankReference: z.string().max(200).nullable(),
    reason: z.string().max(500).nullable(),
  })
  .openapi('ChannelCallback');

function parseBody(raw: string): z.infer<typeof CallbackBody> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new AppError('VALIDATION_FAILED', 'the body is not JSON');
  }
  const parsed = CallbackBody.safeParse(json);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', 'the callback is not valid', {
      errors: fieldProblems(parsed.error.issues, 'body'),
    });
  }
  return parsed.data;
}

/** Delivers the verdict to the running transfer; false when its workflow has already closed. */
async function signalRunningTransfer(deps: AppDeps, transfer: TransferRow, verdict: ChannelVerdictBody) {
  try {
    await deps.temporal.workflow.getHandle(transferWorkflowId(transfer.id)).signal(channelResultSignal, {
      status: verdict.status,
      bankReference: verdict.bankReference,
      reason: verdict.reason,
    });
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** A verdict contradicting a closed transfer: settled once by its own workflow (one per transfer and verdict). */
async function settleContradiction(deps: AppDeps, transfer: TransferRow, verdict: PayoutVerdict) {
  await deps.temporal.workflow.start<typeof settleLateVerdictWorkflow>('settleLateVerdictWorkflow', {
    taskQueue: deps.taskQueue,
    workflowId: lateVerdictWorkflowId(transfer.id, verdict),
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: operationAttributes(transfer.tenantId, transfer.workspaceId),
    args: [{ transferId: transfer.id, verdict }],
  });
}

type ChannelVerdictBody = z.infer<typeof CallbackBody>;

export const channelCallbacksRouter = createRouter().openapi(
  defineRoute({
    method: 'post',
    path: SANDBOX_BANK_CALLBACK_PATH,
    tags: ['Channels'],
    summary:
      "The sandbox bank's payout verdict (signed: X-Channel-Signature t=<unix>,v1=<HMAC-SHA256 of t.body>)",
    access: 'public',
    description:
      'Body (schema ChannelCallback) is read raw so the signature is checked over the exact bytes sent: `{ transferId, status: CONFIRMED or REJECTED, bankReference, reason }`.',
    responses: {
      202: jsonContent(
        z.object({ received: z.boolean(), duplicate: z.boolean() }),
        'Stored and applied (a duplicate is stored once and applied once)',
      ),
      400: problemResponse('VALIDATION_FAILED'),
      401: problemResponse('UNAUTHENTICATED: missing or bad signature'),
      404: problemResponse('NOT_FOUND: no such transfer'),
    },
  }),
  async (c) => {
    const raw = await c.req.text();
    const { config } = c.get('deps');
    const ok = verifyCallback(
      config.CHANNEL_CALLBACK_SECRET,
      raw,
      c.req.header(CALLBACK_SIGNATURE_HEADER),
      Math.floor(Date.now() / 1000),
    );
    if (!ok) throw new AppError('UNAUTHENTICATED', 'the callback signature is missing, wrong or expired');
    const body = parseBody(raw);
    const em = c.get('em');
    const deps = c.get('deps');
    const transfer = await findTransfer(em, body.transferId);
    if (!transfer) throw new AppError('NOT_FOUND', 'transfer not found');
    const { duplicate } = await recordChannelVerdict(em, {
      transferId: transfer.id,
      verdict: body.status,
      source: 'CALLBACK',
      bankReference: body.bankReference,
      reason: body.reason,
    });
    if (transfer.status === 'PROCESSING' && (await signalRunningTransfer(deps, transfer, body))) {
      return c.json({ received: true, duplicate }, 202);
    }
    const closed = (await findTransfer(em.fork(), transfer.id))!;
    if (closed.status === 'PROCESSING' || verdictContradicts(closed.status, body.status)) {
      await settleContradiction(deps, closed, body.status);
    }
    return c.json({ received: true, duplicate }, 202);
  },
);
