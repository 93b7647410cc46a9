// Tenant administration of channel products: list all, create, change status / currencies / amount bounds.
import { randomUUID } from 'node:crypto';
import { AppError } from '../../domain/errors';
import { recordAudit } from '../../db/store/audit';
import { pgTextArray } from '../../db/sql';
import { findChannelProduct } from '../../db/store/transfers';
import {
  AmountSchema,
  COMMON_ERRORS,
  createRouter,
  defineRoute,
  jsonBody,
  jsonContent,
  problemResponse,
  z,
} from '../openapi';
import { ChannelProductSchema, channelProductJson, channelProductsWithFees } from './channel-products';
import { KnownCurrencySchema } from './transfers';

const Currencies = z
  .array(KnownCurrencySchema)
  .max(200)
  .refine((list) => new Set(list).size === list.length, 'currencies must not repeat')
  .openapi({ description: 'Empty means every currency.' });

const boundsOk = (b: { minAmount?: number | null; maxAmount?: number | null }) =>
  b.minAmount == null || b.maxAmount == null || b.minAmount <= b.maxAmount;
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
        200: jsonContent(z.object({ data: z.array(ChannelProductSchema) }), 'The channel products'),
        ...COMMON_ERRORS,
      },
    }),
    async (c) => {
      return c.json(
        { data: await channelProductsWithFees(c.get('em'), c.get('auth').workspace.tenantId) },
        200,
      );
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
      const body = c.req.valid('json');
      const auth = c.get('auth');
      const tenantId = auth.workspace.tenantId;
      const product = await c.get('em').transactional(async (tx) => {
        if (await findChannelProduct(tx, tenantId, body.code)) {
          throw new AppError('CONFLICT', `the channel product ${body.code} already exists`);
        }
        await tx.execute(
          `insert into channel_product (id, tenant_id, code, name, type, currencies, status, min_amount, max_amount, created_at)
           values (?, ?, ?, ?, ?, ?::text[], 'ACTIVE', ?, ?, now())`,
          [
            randomUUID(),
            tenantId,
            body.code,
            body.name,
            body.type,
            pgTextArray(body.currencies),
            body.minAmount ?? null,
            body.maxAmount ?? null,
          ],
        );
        await recordAudit(tx, {
          tenantId,
          workspaceId: auth.workspace.id,
          actorUserId: auth.user.id,
          action: 'channel_product.created',
          targetType: 'channel_product',
          targetId: body.code,
          data: { ...body },
          requestId: c.get('requestId'),
        });
        return (await findChannelProduct(tx, tenantId, body.code))!;
      });
      return c.json(channelProductJson(product, []), 201);
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
      const body = c.req.valid('json');
      const { code } = c.req.valid('param');
      const auth = c.get('auth');
      const tenantId = auth.workspace.tenantId;
      await c.get('em').transactional(async (tx) => {
        const before = await findChannelProduct(tx, tenantId, code);
        if (!before) throw new AppError('NOT_FOUND', 'channel product not found');
        const minAmount =
          body.minAmount === undefined
            ? before.minAmount
            : body.minAmount === null
              ? null
              : BigInt(body.minAmount);
        const maxAmount =
          body.maxAmount === undefined
            ? before.maxAmount
            : body.maxAmount === null
              ? null
              : BigInt(body.maxAmount);
        if (minAmount !== null && maxAmount !== null && minAmount > maxAmount) {
          throw new AppError('VALIDATION_FAILED', 'minAmount must not exceed maxAmount', {
            errors: [{ path: 'body.minAmount', message: 'must not exceed maxAmount' }],
          });
        }
        await tx.execute(
          `update channel_product set name = ?, status = ?, currencies = ?::text[], min_amount = ?, max_amount = ?
            where tenant_id = ? and code = ?`,
          [
            body.name ?? before.name,
            body.status ?? before.status,
            pgTextArray(body.currencies ?? before.currencies),
            minAmount?.toString() ?? null,
            maxAmount?.toString() ?? null,
            tenantId,
            code,
          ],
        );
        await recordAudit(tx, {
          tenantId,
          workspaceId: auth.workspace.id,
          actorUserId: auth.user.id,
          action: 'channel_product.updated',
          targetType: 'channel_product',
          targetId: code,
          data: {
            before: {
              ...before,
              minAmount: before.minAmount?.toString() ?? null,
              maxAmount: before.maxAmount?.toString() ?? null,
            },
            changes: body,
          },
          requestId: c.get('requestId'),
        });
      });
      const [data] = (await channelProductsWithFees(c.get('em'), tenantId)).filter((p) => p.code === code);
      return c.json(data!, 200);
    },
  );
