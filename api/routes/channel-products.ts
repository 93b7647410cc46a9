// The channel products (payment rails) a partner may use: ACTIVE and MAINTENANCE ones, with their fees.
import type { EntityManager } from '@mikro-orm/postgresql';
import { toApiAmount } from '../../domain/money';
import { toChannelProduct, type ChannelProductRow } from '../../db/store/transfers';
import { COMMON_ERRORS, createRouter, defineRoute, jsonContent, z } from '../openapi';

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

/** The tenant's products (optionally by status) with their fee schedule rows. */
export async function channelProductsWithFees(em: EntityManager, tenantId: string, statuses?: string[]) {
  const products = (
    await em.execute('select * from channel_product where tenant_id = ? order by code', [tenantId])
  ).map(toChannelProduct);
  const fees = await em.execute<
    { channel_product_code: string; currency: string; fixed: string; percent_bps: number }[]
  >(
    'select channel_product_code, currency, fixed, percent_bps from fee_schedule where tenant_id = ? order by currency',
    [tenantId],
  );
  return products
    .filter((p) => !statuses || statuses.includes(p.status))
    .map((p) =>
      channelProductJson(
        p,
        fees.filter((f) => f.channel_product_code === p.code),
      ),
    );
}

export function channelProductJson(
  p: ChannelProductRow,
  fees: { currency: string; fixed: string; percent_bps: number }[],
) {
  const feeList = fees.map((f) => ({
    currency: f.currency,
    fixed: toApiAmount(f.fixed),
    percentBps: Number(f.percent_bps),
  }));
  return {
    code: p.code,
    name: p.name,
    type: p.type,
    currencies: p.currencies,
    status: p.status as 'ACTIVE' | 'MAINTENANCE' | 'DISABLED',
    minAmount: p.minAmount === null ? null : toApiAmount(p.minAmount),
    maxAmount: p.maxAmount === null ? null : toApiAmount(p.maxAmount),
    fee: feeList[0]
      ? { fixed: feeList[0].fixed, percentBps: feeList[0].percentBps }
      : { fixed: 0, percentBps: 0 },
    fees: feeList,
  };
}

export const channelProductsRouter = createRouter().openapi(
  defineRoute({
    method: 'get',
    path: '/v1/channel-products',
    tags: ['Channel products'],
    summary: "The tenant's ACTIVE and MAINTENANCE channel products (DISABLED ones are hidden)",
    access: 'payment.view',
    responses: {
      200: jsonContent(z.object({ data: z.array(ChannelProductSchema) }), 'The channel products'),
      ...COMMON_ERRORS,
    },
  }),
  async (c) => {
    const data = await channelProductsWithFees(c.get('em'), c.get('auth').workspace.tenantId, [
      'ACTIVE',
      'MAINTENANCE',
    ]);
    return c.json({ data }, 200);
  },
);
