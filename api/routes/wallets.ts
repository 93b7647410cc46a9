// Partner wallets: list with balances, detail with limits, balance, and flows (ledger entries, running balance).
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../domain/errors';
import { toApiAmount } from '../../domain/money';
import { assertPeriod } from '../../domain/transfers/period';
import {
  balanceOf,
  findWallet,
  listFlows,
  listWorkspaceWallets,
  type WalletRow,
} from '../../db/store/wallets';
import { decodeCursor, pageAnswer } from '../pagination';
import { WalletDetail, walletJson } from '../render/wallets';
import {
  COMMON_ERRORS,
  createRouter,
  DateTimeSchema,
  defineRoute,
  IdParam,
  jsonContent,
  PageQuery,
  pageOf,
  z,
} from '../openapi';

const Balance = z.object({ available: z.number().int(), pending: z.number().int(), total: z.number().int() });

const WalletSummary = z
  .object({ id: z.uuid(), currency: z.string(), name: z.string(), status: z.string(), balance: Balance })
  .openapi('WalletSummary');

const WalletBalance = z
  .object({
    walletId: z.uuid(),
    currency: z.string(),
    available: z.number().int(),
    pending: z.number().int(),
    total: z.number().int(),
    asOf: z.string(),
  })
  .openapi('WalletBalance');

const Flow = z
  .object({
    id: z.string(),
    transferId: z.string().nullable(),
    depositId: z.string().nullable(),
    direction: z.enum(['CREDIT', 'DEBIT']),
    amount: z.number().int(),
    balanceAfter: z.number().int().nullable(),
    status: z.enum(['PENDING', 'POSTED', 'VOIDED']),
    description: z.string(),
    createdAt: z.string(),
  })
  .openapi('WalletFlow');

const FlowQuery = PageQuery.extend({
  direction: z.enum(['CREDIT', 'DEBIT']).optional(),
  from: DateTimeSchema.optional(),
  to: DateTimeSchema.optional(),
});

function balanceJson(w: WalletRow) {
  const b = balanceOf(w);
  return {
    available: toApiAmount(b.available),
    pending: toApiAmount(b.pending),
    total: toApiAmount(b.total),
  };
}

/** The caller's workspace wallet, or 404. */
async function workspaceWallet(em: EntityManager, id: string, workspaceId: string): Promise<WalletRow> {
  const wallet = await findWallet(em, id, { workspaceId });
  if (!wallet) throw new AppError('NOT_FOUND', 'wallet not found');
  return wallet;
}

export const walletsRouter = createRouter()
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/wallets',
      tags: ['Wallets'],
      summary: "The workspace's wallets with their balances",
      access: 'balance.view',
      responses: {
        200: jsonContent(z.object({ data: z.array(WalletSummary) }), 'The wallets'),
        ...COMMON_ERRORS,
      },
    }),
    async (c) => {
      const wallets = await listWorkspaceWallets(c.get('em'), c.get('auth').workspace.id);
      return c.json(
        {
          data: wallets.map((w) => ({
            id: w.id,
            currency: w.currency,
            name: w.name,
            status: w.status,
            balance: balanceJson(w),
          })),
        },
        200,
      );
    },
  )
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/wallets/{id}',
      tags: ['Wallets'],
      summary: 'A wallet with its status and limits',
      access: 'balance.view',
      request: { params: IdParam },
      responses: { 200: jsonContent(WalletDetail, 'The wallet'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const wallet = await workspaceWallet(c.get('em'), c.req.valid('param').id, c.get('auth').workspace.id);
      return c.json(walletJson(wallet), 200);
    },
  )
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/wallets/{id}/balance',
      tags: ['Wallets'],
      summary: 'Available (posted minus held), pending (held) and total',
      access: 'balance.view',
      request: { params: IdParam },
      responses: { 200: jsonContent(WalletBalance, 'The balance'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const wallet = await workspaceWallet(c.get('em'), c.req.valid('param').id, c.get('auth').workspace.id);
      return c.json(
        {
          walletId: wallet.id,
          currency: wallet.currency,
          ...balanceJson(wallet),
          asOf: new Date().toISOString(),
        },
        200,
      );
    },
  )
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/wallets/{id}/flows',
      tags: ['Wallets'],
      summary: "The wallet's ledger entries, newest first, with the running balance after each posted one",
      access: 'balance.view',
      request: { params: IdParam, query: FlowQuery },
      responses: { 200: jsonContent(pageOf(Flow), 'A page of flows'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const em = c.get('em');
      const wallet = await workspaceWallet(em, c.req.valid('param').id, c.get('auth').workspace.id);
      assertPeriod(query);
      const rows = await listFlows(em, {
        accountId: wallet.accountId,
        direction: query.direction,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        cursor: decodeCursor(query.cursor),
        limit: query.limit,
      });
      return c.json(
        pageAnswer(rows, query.limit, (f) => ({
          id: f.id,
          transferId: f.transferId,
          depositId: f.depositId,
          direction: f.direction as 'CREDIT' | 'DEBIT',
          amount: toApiAmount(f.amount),
          balanceAfter: f.balanceAfter === null ? null : toApiAmount(f.balanceAfter),
          status: f.status as 'PENDING' | 'POSTED' | 'VOIDED',
          description: f.description,
          createdAt: f.createdAt.toISOString(),
        })),
        200,
      );
    },
  );
