// The HTTP shapes of transfers, shared by the partner and tenant routes: the Transfer schema and its renderer, the
// listing's query, and the Idempotency-Key header (transfers and deposits).
import type { TransferRow } from '../../db/store/transfers';
import { TRANSFER_STATUSES } from '../../domain/transfers';
import { transferView } from '../../domain/transfers/transfer-view';
import { DateTimeSchema, PageQuery, z } from '../openapi';

export const IdempotencyHeader = z.object({
  'idempotency-key': z
    .string({ error: 'the Idempotency-Key header is required' })
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .openapi({ param: { name: 'idempotency-key', in: 'header' }, example: 'payout-2026-11-21-0001' }),
});

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
    workflowId: z
      .string()
      .openapi({ description: 'The Temporal workflow running this transfer (Temporal UI).' }),
    createdAt: z.string(),
    updatedAt: z.string(),
    completedAt: z.string().nullable(),
  })
  .openapi('Transfer');

export const TransferQuery = PageQuery.extend({
  status: z.enum(TRANSFER_STATUSES).optional(),
  walletId: z.uuid().optional(),
  from: DateTimeSchema.optional(),
  to: DateTimeSchema.optional(),
  minAmount: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  maxAmount: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  reference: z.string().max(200).optional(),
});

export function transferJson(t: TransferRow) {
  return transferView(t);
}
