// The channel product answer shared by the partner and the tenant channel product routes.
import { toApiAmount } from '../../domain/money';
import type { ChannelProductWithFees } from '../../db/store/channel-products';
import { z } from '../openapi';

const Fee = z.object({ fixed: z.number().int(), percentBps: z.number().int() });

export const ChannelProductSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    type: z.string(),
    currencies: z.array(z.string()),
    status: z.enum(['ACTIVE', 'MAINTENANCE', 'DISABLED']),
    minAmount: z.number().int().nullable(),
    maxAmount: z.number().int().nullable(),
    fee: Fee.openapi({ description: 'The fee of the first configured currency (none: zero); see `fees`.' }),
    fees: z.array(Fee.extend({ currency: z.string() })),
  })
  .openapi('ChannelProduct');

export const ChannelProductList = z.object({ data: z.array(ChannelProductSchema) });

export function channelProductJson({ product: p, fees }: ChannelProductWithFees) {
  const feeList = fees.map((f) => ({
    currency: f.currency,
    fixed: toApiAmount(f.fixed),
    percentBps: f.percentBps,
  }));
  return {
    code: p.code,
    name: p.name,
    type: p.type,
    currencies: p.currencies,
    status: p.status as 'ACTIVE' | 'MAINTENANCE' | 'DISABLED',
    minAmount: p.minAmount == null ? null : toApiAmount(p.minAmount),
    maxAmount: p.maxAmount == null ? null : toApiAmount(p.maxAmount),
    fee: feeList[0]
      ? { fixed: feeList[0].fixed, percentBps: feeList[0].percentBps }
      : { fixed: 0, percentBps: 0 },
    fees: feeList,
  };
}
