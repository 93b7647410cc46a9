// Tenant administration of wallets: deposits (Idempotency-Key, posted in one transaction), freeze and limits,
// and every transfer of the tenant.
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../domain/errors';
import { deterministicUuid, requestFingerprint } from '../../domain/ledger';
import { toApiAmount } from '../../domain/money';
import { recordAudit } from '../../db/store/audit';
import { ensureSystemAccount, postImmediately, SYSTEM_ACCOUNTS } from '../../db/store/ledger';
import { findWallet } from '../../db/store/wallets';
import type { AuthContext } from '../context';
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
import {
  claimIdempotencyKey,
  IdempotencyHeader,
  TransferQuery,
  TransferSchema,
  transferPage,
} from './transfers';
import { WalletDetail, walletJson } from './wallets';

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

async function depositJson(em: EntityManager, id: string) {
  const [row] = await em.execute('select * from deposit where id = ?', [id]);
  if (!row) return null;
  return {
    id: row.id as string,
    walletId: row.wallet_id as string,
    amount: toApiAmount(row.amount as string),
    currency: row.currency as string,
    reference: (row.reference as string | null) ?? null,
    createdAt: new Date(row.created_at as string).toISOString(),
  };
}

/** Credits a wallet from the tenant's funding account, once per Idempotency-Key, with its audit row. */
async function deposit(
  em: EntityManager,
  auth: AuthContext,
  input: { walletId: string; key: string; amount: number; reference: string | null; requestId: string },
) {
  const tenantId = auth.workspace.tenantId;
  const wallet = await findWallet(em, input.walletId, { tenantId });
  if (!wallet) throw new AppError('NOT_FOUND', 'wallet not found');
  const funding = await ensureSystemAccount(em.fork(), tenantId, wallet.currency, SYSTEM_ACCOUNTS.FUNDING);
  const depositId = deterministicUuid('deposit', tenantId, input.key);
  return em.transactional(async (tx) => {
    await claimIdempotencyKey(tx, {
      scope: `deposits:${tenantId}`,
      key: input.key,
      fingerprint: requestFingerprint({
        walletId: wallet.id,
        amount: input.amount,
        reference: input.reference,
      }),
      resourceId: depositId,
    });
    const existing = await depositJson(tx, depositId);
    if (existing) return existing;
    await tx.execute(
      `insert into deposit (id, tenant_id, wallet_id, amount, currency, reference, created_by, created_at)
       values (?, ?, ?, ?, ?, ?, ?, now())`,
      [depositId, tenantId, wallet.id, input.amount, wallet.currency, input.reference, auth.user.id],
    );
    await postImmediately(tx, {
      tenantId,
      currency: wallet.currency,
      operationId: `deposit-${depositId}`,
      step: 'post',
      description: input.reference ? `Deposit ${input.reference}` : 'Deposit',
      depositId,
      legs: [
        {
          debit: funding,
          credit: wallet.accountId,
          amount: BigInt(input.amount),
          description: input.reference ? `Deposit ${input.reference}` : 'Deposit',
        },
      ],
    });
    await recordAudit(tx, {
      tenantId,
      workspaceId: auth.workspace.id,
      actorUserId: auth.user.id,
      action: 'wallet.deposit',
      targetType: 'wallet',
      targetId: wallet.id,
      data: { depositId, amount: input.amount, currency: wallet.currency, reference: input.reference },
      requestId: input.requestId,
    });
    return (await depositJson(tx, depositId))!;
  });
}

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
      const result = await deposit(c.get('em'), c.get('auth'), {
        walletId: c.req.valid('param').id,
        key: c.req.valid('header')['idempotency-key'],
        amount: body.amount,
        reference: body.reference ?? null,
        requestId: c.get('requestId'),
      });
      return c.json(result, 201);
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
      const auth = c.get('auth');
      const id = c.req.valid('param').id;
      const updated = await c.get('em').transactional(async (tx) => {
        const wallet = await findWallet(tx, id, { tenantId: auth.workspace.tenantId });
        if (!wallet) throw new AppError('NOT_FOUND', 'wallet not found');
        const sets: string[] = [];
        const params: unknown[] = [];
        if (body.status !== undefined) {
          sets.push('status = ?');
          params.push(body.status);
        }
        if (body.limits?.perTransfer !== undefined) {
          sets.push('limit_per_transfer = ?');
          params.push(body.limits.perTransfer);
        }
        if (body.limits?.daily !== undefined) {
          sets.push('limit_daily = ?');
          params.push(body.limits.daily);
        }
        if (sets.length === 0) return wallet;
        await tx.execute(`update wallet set ${sets.join(', ')} where id = ?`, [...params, id]);
        const after = (await findWallet(tx, id, { tenantId: auth.workspace.tenantId }))!;
        await recordAudit(tx, {
          tenantId: auth.workspace.tenantId,
          workspaceId: auth.workspace.id,
          actorUserId: auth.user.id,
          action:
            body.status && body.status !== wallet.status
              ? `wallet.${body.status === 'FROZEN' ? 'frozen' : 'unfrozen'}`
              : 'wallet.updated',
          targetType: 'wallet',
          targetId: id,
          data: { before: walletJson(wallet), after: walletJson(after) },
          requestId: c.get('requestId'),
        });
        return after;
      });
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
      const page = await transferPage(
        c.get('em'),
        { tenantId: c.get('auth').workspace.tenantId, workspaceId },
        query,
      );
      return c.json(page, 200);
    },
  );
