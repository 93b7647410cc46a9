// Tenant administration of channel products: list all, create, change status / currencies / amount bounds.
import { boundsProblem, nextBound } from '../../domain/channel-products/rules';
import { createChannelProduct } from '../../domain/channel-products/create-channel-product';
import { updateChannelProduct } from '../../domain/channel-products/update-channel-product';
import { listChannelProducts } from '../../db/store/channel-products';
import { actorOf } from '../actor';
import {
  AmountSchema,
  COMMON_ERRORS,
  createRouter,
  defineRoute,
  jsonBody,
  jsonContent,
  KnownCurrencySchema,
  problemResponse,
  z,
} from '../openapi';
import { ChannelProductList, ChannelProductSchema, channelProductJson } from '../render/channel-products';

const Currencies = z
  .array(KnownCurrencySchema)
  .max(200)
  .refine((list) => new Set(list).size === list.length, 'currencies must not repeat')
  .openapi({ description: 'Empty means every currency.' });

const boundsOk = (b: { minAmount?: number | null; maxAmount?: number | null }) =>
  boundsProblem(nextBound(null, b.minAmount), nextBound(null, b.maxAmount)) === null;
const BOUNDS_ERROR = { message: 'minAmount must not exceed maxAmount', path: ['minAmount'] };

const CreateProductBody = z
  .strictObject({
    code: z.string().regex(/^[A-Z][A-Z0-9_]{1,49}$/, 'UPPER_SNAKE, 2 to 50 characters'),
    name: z.string().trim().min(1).max(200),
    type: z.enum(['BOOK_TRANSFER', 'BANK_PAYOUT']),
    currencies: Currencies,
    minAmount: AmountSchema.nullable().optional(),
    maxAmount: AmountSchema.nullable().optional(),
  })
  .refine(boundsOk, BOUNDS_ERROR)
  .openapi('CreateChannelProduct');

const UpdateProductBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    status: z.enum(['ACTIVE', 'MAINTENANCE', 'DISABLED']).optional(),
    currencies: Currencies.optional(),
    minAmount: AmountSchema.nullable().optional(),
    maxAmount: AmountSchema.nullable().optional(),
  })
  .refine(boundsOk, BOUNDS_ERROR)
  .openapi('UpdateChannelProduct');

const CodeParam = z.object({
  code: z
    .string()
    .max(50)
    .openapi({ param: { name: 'code', in: 'path' }, example: 'SANDBOX_BANK' }),
});

export const tenantChannelProductsRouter = createRouter()
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/tenant/channel-products',
      tags: ['Tenant'],
      summary: "The tenant's channel products, all statuses",
      access: 'tenant.channels.manage',
      responses: {
        200: jsonContent(ChannelProductList, 'The channel products'),
        ...COMMON_ERRORS,
      },
    }),
    async (c) => {
      const products = await listChannelProducts(c.get('em'), c.get('auth').workspace.tenantId);
      return c.json({ data: products.map(channelProductJson) }, 200);
    },
  )
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/tenant/channel-products',
      tags: ['Tenant'],
      summary:
        'Add a channel product (BANK_PAYOUT products are carried by the sandbox bank in this installation)',
      access: 'tenant.channels.manage',
      request: { body: jsonBody(CreateProductBody) },
      responses: {
        201: jsonContent(ChannelProductSchema, 'The channel product'),
        ...COMMON_ERRORS,
        409: problemResponse('CONFLICT: the code is taken'),
      },
    }),
    async (c) => {
      const product = await createChannelProduct(
        c.get('em'),
        { tenantId: c.get('auth').workspace.tenantId, product: c.req.valid('json') },
        actorOf(c),
      );
      return c.json(channelProductJson(product), 201);
    },
  )
  .openapi(
    defineRoute({
      method: 'patch',
      path: '/v1/tenant/channel-products/{code}',
      tags: ['Tenant'],
      summary:
        'Change a channel product; MAINTENANCE or DISABLED refuses new transfers (422 CHANNEL_UNAVAILABLE)',
      access: 'tenant.channels.manage',
      request: { params: CodeParam, body: jsonBody(UpdateProductBody) },
      responses: { 200: jsonContent(ChannelProductSchema, 'The channel product'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const product = await updateChannelProduct(
        c.get('em'),
        {
          tenantId: c.get('auth').workspace.tenantId,
          code: c.req.valid('param').code,
          changes: c.req.valid('json'),
        },
        actorOf(c),
      );
      return c.json(channelProductJson(product), 200);
    },
  );
