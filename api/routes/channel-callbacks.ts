// Callbacks from payment channels (public, HMAC-signed): the bank's verdict is signalled to the transfer workflow.
import { WorkflowNotFoundError } from '@temporalio/client';
import { CALLBACK_SIGNATURE_HEADER, SANDBOX_BANK_CALLBACK_PATH, verifyCallback } from '../../domain/channels';
import { AppError } from '../../domain/errors';
import { transferWorkflowId } from '../../domain/ledger';
import { findTransfer } from '../../db/store/transfers';
import { channelResultSignal } from '../../workflows/execute-transfer';
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
      202: jsonContent(z.object({ received: z.boolean() }), 'Delivered to the transfer'),
      400: problemResponse('VALIDATION_FAILED'),
      401: problemResponse('UNAUTHENTICATED: missing or bad signature'),
      404: problemResponse('NOT_FOUND: no such transfer'),
    },
  }),
  async (c) => {
    const raw = await c.req.text();
    const { config, temporal } = c.get('deps');
    const ok = verifyCallback(
      config.CHANNEL_CALLBACK_SECRET,
      raw,
      c.req.header(CALLBACK_SIGNATURE_HEADER),
      Math.floor(Date.now() / 1000),
    );
    if (!ok) throw new AppError('UNAUTHENTICATED', 'the callback signature is missing, wrong or expired');
    const body = parseBody(raw);
    const transfer = await findTransfer(c.get('em'), body.transferId);
    if (!transfer) throw new AppError('NOT_FOUND', 'transfer not found');
    try {
      await temporal.workflow.getHandle(transferWorkflowId(transfer.id)).signal(channelResultSignal, {
        status: body.status,
        bankReference: body.bankReference,
        reason: body.reason,
      });
    } catch (err) {
      // The transfer already ended (e.g. timed out): acknowledge, so the bank stops retrying.
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      return c.json({ received: false }, 202);
    }
    return c.json({ received: true }, 202);
  },
);
