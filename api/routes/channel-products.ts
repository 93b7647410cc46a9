// The channel products (payment rails) a partner may use: ACTIVE and MAINTENANCE ones, with their fees.
import { listChannelProducts } from '../../db/store/channel-products';
import { COMMON_ERRORS, createRouter, defineRoute, jsonContent } from '../openapi';
import { ChannelProductList, channelProductJson } from '../render/channel-products';

export const channelProductsRouter = createRouter().openapi(
  defineRoute({
    method: 'get',
    path: '/v1/channel-products',
    tags: ['Channel products'],
    summary: "The tenant's ACTIVE and MAINTENANCE channel products (DISABLED ones are hidden)",
    access: 'payment.view',
    responses: {
      200: jsonContent(ChannelProductList, 'The channel products'),
      ...COMMON_ERRORS,
    },
  }),
  async (c) => {
    const products = await listChannelProducts(c.get('em'), c.get('auth').workspace.tenantId, [
      'ACTIVE',
      'MAINTENANCE',
    ]);
    return c.json({ data: products.map(channelProductJson) }, 200);
  },
);
