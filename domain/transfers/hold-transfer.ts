// Command: validate a transfer, compute its fee and hold amount + fee in ONE transaction that also creates the
// transfer row and its audit row; a refusal writes nothing. Idempotent by transfer ID. Undone by releasing the hold.
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../../db/store/audit';
import {
  ensureSystemAccount,
  holdFunds,
  InsufficientFundsError,
  lockAccounts,
  SYSTEM_ACCOUNTS,
} from '../../db/store/ledger';
import {
  findChannelProduct,
  findFeeRule,
  findTransfer,
  insertTransfer,
  outgoingToday,
  recordTransferEvents,
} from '../../db/store/transfers';
import { findWallet } from '../../db/store/wallets';
import { AppError } from '../errors';
import { recordEvent } from '../events/record-event';
import type { TransferRequest, TransferRoute } from './contract';
import { transferView } from './transfer-view';
import { channelCodeOf, holdLegs, planTransfer, type Plan, type TransferFacts } from './plan';

/** The step name of a transfer's hold in the ledger (operation = transfer ID). */
export const HOLD_STEP = 'hold';

export interface HoldResult {
  route: TransferRoute;
  channelProductCode: string;
  fee: string;
  status: string;
}

function holdResultOf(t: {
  channelProductCode: string;
  fee: bigint;
  status: string;
  destinationWalletId: string | null;
}): HoldResult {
  return {
    route: t.destinationWalletId ? 'INTERNAL' : 'EXTERNAL',
    channelProductCode: t.channelProductCode,
    fee: t.fee.toString(),
    status: t.status,
  };
}

/** Reads every fact planTransfer judges (the source within the workspace, a destination within the tenant). */
async function readTransferFacts(em: EntityManager, req: TransferRequest): Promise<TransferFacts> {
  const code = channelCodeOf(req.destination);
  const source = await findWallet(em, req.sourceWalletId, { workspaceId: req.workspaceId });
  return {
    source,
    destination:
      req.destination.type === 'WALLET'
        ? await findWallet(em, req.destination.walletId, { tenantId: req.tenantId })
        : null,
    product: await findChannelProduct(em, req.tenantId, code),
    feeRule: await findFeeRule(em, req.tenantId, code, req.currency),
    outgoingToday: source ? await outgoingToday(em, source.id) : 0n,
  };
}

/** The plan, or the refusal thrown as an AppError with its code. */
async function planOrRefuse(em: EntityManager, req: TransferRequest): Promise<Plan> {
  const plan = planTransfer(await readTransferFacts(em, req), req);
  if (!plan.ok) throw new AppError(plan.code, plan.message);
  return plan;
}

/** System accounts a transfer may touch, created beforehand in their own statements (never under our locks). */
async function ensurePostingAccounts(em: EntityManager, req: TransferRequest, plan: Plan) {
  const settlement =
    plan.route === 'EXTERNAL'
      ? await ensureSystemAccount(
          em,
          req.tenantId,
          req.currency,
          SYSTEM_ACCOUNTS.settlement(plan.channelProductCode),
          req.transferId,
        )
      : null;
  const feeRevenue = await ensureSystemAccount(
    em,
    req.tenantId,
    req.currency,
    SYSTEM_ACCOUNTS.FEE_REVENUE,
    req.transferId,
  );
  return { settlement, feeRevenue };
}

/** What the hold activity is given: the request, and the threshold it reached when it needs approval. */
export interface HoldInput {
  key: string;
  workflowId: string;
  request: TransferRequest;
  approval?: { threshold: string };
}

async function holdPlanned(
  em: EntityManager,
  input: HoldInput,
  plan: Plan,
  accounts: { settlement: string | null; feeRevenue: string },
): Promise<void> {
  const req = input.request;
  await insertTransfer(em, {
    id: req.transferId,
    tenantId: req.tenantId,
    workspaceId: req.workspaceId,
    sourceWalletId: req.sourceWalletId,
    destination: { ...req.destination },
    destinationWalletId: plan.destinationWalletId,
    channelProductCode: plan.channelProductCode,
    amount: plan.amount,
    fee: plan.fee,
    currency: req.currency,
    reference: req.reference,
    memo: req.memo,
    idempotencyKey: req.idempotencyKey,
    workflowId: input.workflowId,
    createdBy: req.actorUserId,
    submitted: plan.route === 'INTERNAL',
    status: input.approval ? 'PENDING_APPROVAL' : 'PROCESSING',
  });
  await recordTransferEvents(em, req.transferId, [
    { type: 'FUNDS_HELD', data: { amount: Number(req.amount), fee: Number(plan.fee) } },
    ...(input.approval
      ? [
          {
            type: 'APPROVAL_REQUESTED',
            data: { requestedBy: req.actorUserId, threshold: Number(input.approval.threshold) },
          },
        ]
      : []),
  ]);
  await recordAudit(em, {
    tenantId: req.tenantId,
    workspaceId: req.workspaceId,
    actorUserId: req.actorUserId,
    action: 'transfer.created',
    targetType: 'transfer',
    targetId: req.transferId,
    data: {
      key: input.key,
      amount: req.amount,
      fee: plan.fee.toString(),
      currency: req.currency,
      channel: plan.channelProductCode,
    },
  });
  if (input.approval) {
    const held = await findTransfer(em, req.transferId);
    await recordEvent(em, {
      type: 'transfer.approval_requested',
      tenantId: req.tenantId,
      workspaceId: req.workspaceId,
      data: transferView(held!),
      key: `transfer.approval_requested:${req.transferId}`,
    });
    await recordAudit(em, {
      tenantId: req.tenantId,
      workspaceId: req.workspaceId,
      actorUserId: req.actorUserId,
      action: 'transfer.approval_requested',
      targetType: 'transfer',
      targetId: req.transferId,
      data: { amount: req.amount, currency: req.currency, threshold: input.approval.threshold },
    });
  }
  // The hold last: the system account it credits is locked from its one statement to COMMIT only.
  try {
    await holdFunds(em, {
      tenantId: req.tenantId,
      currency: req.currency,
      operationId: req.transferId,
      step: HOLD_STEP,
      description: `Transfer ${req.transferId}`,
      transferId: req.transferId,
      legs: holdLegs(plan, accounts, req.memo ?? `Transfer ${req.reference ?? req.transferId}`),
    });
  } catch (err) {
    if (err instanceof InsufficientFundsError) {
      throw new AppError(
        'INSUFFICIENT_FUNDS',
        `the wallet's available balance ${err.available} does not cover ${err.needed}`,
      );
    }
    throw err;
  }
}

/**
 * Holds a transfer's funds (the actor is the request's `actorUserId`). Refusals throw an AppError with the
 * contract's code and write nothing; a transfer already held answers its stored result.
 */
export async function holdTransfer(em: EntityManager, input: HoldInput): Promise<HoldResult> {
  const req = input.request;
  const existing = await findTransfer(em.fork(), req.transferId);
  if (existing) return holdResultOf(existing);
  // A draft only names the accounts to lock: it is judged again under the locks.
  const draft = await planOrRefuse(em.fork(), req);
  const accounts = await ensurePostingAccounts(em.fork(), req, draft);
  return em.fork().transactional(async (tx) => {
    // The wallets this transfer touches, locked in the one fixed order before anything is re-read (its system
    // accounts are locked by the hold's own write, last).
    await lockAccounts(tx, [
      draft.sourceAccountId,
      draft.destinationAccountId ?? accounts.settlement!,
      ...(draft.fee > 0n ? [accounts.feeRevenue] : []),
    ]);
    const again = await findTransfer(tx, req.transferId);
    if (again) return holdResultOf(again);
    const plan = await planOrRefuse(tx, req);
    if (plan.destinationAccountId !== draft.destinationAccountId || (plan.fee > 0n && draft.fee === 0n)) {
      throw new Error('the transfer plan changed while locking; retrying');
    }
    await holdPlanned(tx, input, plan, accounts);
    return holdResultOf({ ...plan, status: input.approval ? 'PENDING_APPROVAL' : 'PROCESSING' });
  });
}
