// Tenant administration of wallets: deposits (Idempotency-Key, posted in one transaction), freeze and limits,
// and every transfer of the tenant.
import { createDeposit } from '../../domain/transfers/create-deposit';
import { listTransfers } from '../../domain/transfers/list-transfers';
import { updateWallet } from '../../domain/transfers/update-wallet';
import { actorOf } from '../actor';
import { decodeCursor, pageAnswer } from '../pagination';
import { IdempotencyHeader, TransferQuery, TransferSchema, transferJson } from '../render/transfers';
import { depositJson, WalletDetail, walletJson } from '../render/wallets';
import {
  AmountSchema,
  COMMON_ERRORS,
  createRouter,
  defineRoute,
  IdParam,
  jsonBody,
  jsonContent,
  pageOf,
  problemResponse,
  z,
} from '../openapi';

const DepositBody = z
  .strictObject({ amount: AmountSchema, reference: z.string().trim().min(1).max(200).optional() })
  .openapi('CreateDeposit');

const DepositSchema = z
  .object({
    id: z.uuid(),
    walletId: z.uuid(),
    amount: z.number().int(),
    currency: z.string(),
    reference: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Deposit');

const LimitValue = AmountSchema.nullable();
const UpdateWalletBody = z
  .strictObject({
    status: z.enum(['ACTIVE', 'FROZEN']).optional(),
    limits: z.strictObject({ perTransfer: LimitValue.optional(), daily: LimitValue.optional() }).optional(),
  })
  .openapi('UpdateWallet');

const TenantWallet = WalletDetail.extend({ workspaceId: z.uuid() }).openapi('TenantWallet');

export const tenantWalletsRouter = createRouter()
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/tenant/wallets/{id}/deposits',
      tags: ['Tenant'],
      summary: "Deposit into a partner's wallet; answered once the money is posted and available",
      access: 'tenant.wallets.manage',
      request: { params: IdParam, headers: IdempotencyHeader, body: jsonBody(DepositBody) },
      responses: {
        201: jsonContent(DepositSchema, 'The deposit, posted'),
        ...COMMON_ERRORS,
        409: problemResponse('IDEMPOTENCY_KEY_REUSED'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const deposit = await createDeposit(
        c.get('em'),
        {
          walletId: c.req.valid('param').id,
          key: c.req.valid('header')['idempotency-key'],
          amount: BigInt(body.amount),
          reference: body.reference ?? null,
        },
        actorOf(c),
      );
      return c.json(depositJson(deposit), 201);
    },
  )
  .openapi(
    defineRoute({
      method: 'patch',
      path: '/v1/tenant/wallets/{id}',
      tags: ['Tenant'],
      summary: 'Freeze or unfreeze a wallet, set its limits (null removes a limit)',
      access: 'tenant.wallets.manage',
      request: { params: IdParam, body: jsonBody(UpdateWalletBody) },
      responses: { 200: jsonContent(TenantWallet, 'The wallet'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const limit = (v: number | null | undefined) => (v === undefined || v === null ? v : BigInt(v));
      const updated = await updateWallet(
        c.get('em'),
        {
          walletId: c.req.valid('param').id,
          changes: {
            status: body.status,
            limitPerTransfer: limit(body.limits?.perTransfer),
            limitDaily: limit(body.limits?.daily),
          },
        },
        actorOf(c),
      );
      return c.json({ ...walletJson(updated), workspaceId: updated.workspaceId }, 200);
    },
  )
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/tenant/transfers',
      tags: ['Tenant'],
      summary: 'Every transfer of the tenant, newest first',
      access: 'tenant.wallets.manage',
      request: { query: TransferQuery.extend({ workspaceId: z.uuid().optional() }) },
      responses: { 200: jsonContent(pageOf(TransferSchema), 'A page of transfers'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const { workspaceId, ...query } = c.req.valid('query');
      const rows = await listTransfers(
        c.get('em'),
        { tenantId: c.get('auth').workspace.tenantId, workspaceId },
        { ...query, cursor: decodeCursor(query.cursor) },
      );
      return c.json(pageAnswer(rows, query.limit, transferJson), 200);
    },
  );
