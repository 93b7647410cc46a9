// Activities of the transfer saga: validate + fee + hold (one transaction), post, release (void), cancel request.
import { ApplicationFailure } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/postgresql';
import { computeFee } from '../domain/fees';
import {
  INTERNAL_CHANNEL_CODE,
  type TransferRefusal,
  type TransferRequest,
  type TransferRoute,
} from '../domain/ledger';
import { toMinor } from '../domain/money';
import { recordAudit } from '../db/store/audit';
import {
  ensureSystemAccount,
  holdFunds,
  InsufficientFundsError,
  LedgerStateError,
  lockAccounts,
  resolveHold,
  SYSTEM_ACCOUNTS,
  type Leg,
} from '../db/store/ledger';
import {
  findChannelProduct,
  findFeeRule,
  findTransfer,
  outgoingToday,
  recordTransferEvents,
  type TransferEventInput,
} from '../db/store/transfers';
import { findWallet, type WalletRow } from '../db/store/wallets';
import { inTransaction, type ActivityDeps } from './deps';

export const HOLD_STEP = 'hold';

export interface HoldResult {
  route: TransferRoute;
  channelProductCode: string;
  fee: string;
  status: string;
}

interface TransferPlan {
  source: WalletRow;
  route: TransferRoute;
  channelProductCode: string;
  destinationWalletId: string | null;
  destinationAccountId: string | null;
  fee: bigint;
}

function refuse(code: TransferRefusal | 'NOT_FOUND', message: string): never {
  throw ApplicationFailure.nonRetryable(message, code);
}

/** Every business rule a transfer must pass; throws a non-retryable refusal with its code. */
async function planTransfer(em: EntityManager, req: TransferRequest): Promise<TransferPlan> {
  const amount = toMinor(req.amount);
  const source = await findWallet(em, req.sourceWalletId, { workspaceId: req.workspaceId });
  if (!source) refuse('NOT_FOUND', 'the source wallet does not exist');
  if (source.status !== 'ACTIVE' || source.workspaceStatus !== 'ACTIVE') {
    refuse(
      'WALLET_NOT_ACTIVE',
      `the source wallet is ${source.status === 'ACTIVE' ? 'suspended' : 'frozen'}`,
    );
  }
  if (source.currency !== req.currency) {
    refuse('CURRENCY_MISMATCH', `the source wallet holds ${source.currency}, not ${req.currency}`);
  }
  let destinationWalletId: string | null = null;
  let destinationAccountId: string | null = null;
  const code = req.destination.type === 'WALLET' ? INTERNAL_CHANNEL_CODE : req.destination.channelProductCode;
  if (req.destination.type === 'WALLET') {
    const dest = await findWallet(em, req.destination.walletId, { tenantId: req.tenantId });
    if (!dest || dest.id === source.id)
      refuse('DESTINATION_NOT_FOUND', 'the destination wallet does not exist');
    if (dest.status !== 'ACTIVE') refuse('WALLET_NOT_ACTIVE', 'the destination wallet is frozen');
    if (dest.currency !== req.currency) {
      refuse('CURRENCY_MISMATCH', `the destination wallet holds ${dest.currency}, not ${req.currency}`);
    }
    destinationWalletId = dest.id;
    destinationAccountId = dest.accountId;
  }
  const product = await findChannelProduct(em, req.tenantId, code);
  const route: TransferRoute = req.destination.type === 'WALLET' ? 'INTERNAL' : 'EXTERNAL';
  if (!product || product.status !== 'ACTIVE' || (route === 'EXTERNAL' && product.type === 'BOOK_TRANSFER')) {
    refuse(
      'CHANNEL_UNAVAILABLE',
      `the channel ${code} is ${product ? product.status.toLowerCase() : 'not offered'}`,
    );
  }
  if (product.currencies.length > 0 && !product.currencies.includes(req.currency)) {
    refuse('CHANNEL_UNAVAILABLE', `the channel ${code} does not carry ${req.currency}`);
  }
  if (product.minAmount !== null && amount < product.minAmount) {
    refuse('LIMIT_EXCEEDED', `the channel ${code} takes at least ${product.minAmount}`);
  }
  if (product.maxAmount !== null && amount > product.maxAmount) {
    refuse('LIMIT_EXCEEDED', `the channel ${code} takes at most ${product.maxAmount}`);
  }
  if (source.limitPerTransfer !== null && amount > source.limitPerTransfer) {
    refuse('LIMIT_EXCEEDED', `the wallet's per-transfer limit is ${source.limitPerTransfer}`);
  }
  const fee = computeFee(amount, await findFeeRule(em, req.tenantId, code, req.currency));
  return { source, route, channelProductCode: code, destinationWalletId, destinationAccountId, fee };
}

interface PostingAccounts {
  credit: string | null;
  feeRevenue: string;
}

/** System accounts a transfer may touch, created beforehand in their own statements (never under our locks). */
async function ensurePostingAccounts(
  deps: ActivityDeps,
  req: TransferRequest,
  plan: TransferPlan,
): Promise<PostingAccounts> {
  const em = deps.orm.em.fork();
  const settlement =
    plan.route === 'EXTERNAL'
      ? await ensureSystemAccount(
          em,
          req.tenantId,
          req.currency,
          SYSTEM_ACCOUNTS.settlement(plan.channelProductCode),
        )
      : null;
  const feeRevenue = await ensureSystemAccount(em, req.tenantId, req.currency, SYSTEM_ACCOUNTS.FEE_REVENUE);
  return { credit: settlement, feeRevenue };
}

/** The legs of a transfer: amount to the destination (wallet or channel settlement), fee to fee revenue. */
function legsOf(req: TransferRequest, plan: TransferPlan, accounts: PostingAccounts): Leg[] {
  const legs: Leg[] = [
    {
      debit: plan.source.accountId,
      credit: plan.destinationAccountId ?? accounts.credit!,
      amount: toMinor(req.amount),
      description: req.memo ?? `Transfer ${req.reference ?? req.transferId}`,
    },
  ];
  if (plan.fee > 0n) {
    legs.push({
      debit: plan.source.accountId,
      credit: accounts.feeRevenue,
      amount: plan.fee,
      description: 'Transfer fee',
    });
  }
  return legs;
}

async function insertTransfer(
  em: EntityManager,
  req: TransferRequest,
  plan: TransferPlan,
  workflowId: string,
) {
  await em.execute(
    `insert into transfer (id, tenant_id, workspace_id, source_wallet_id, destination, destination_wallet_id,
       channel_product_code, amount, fee, currency, reference, memo, status, idempotency_key, workflow_id, created_by,
       submitted_at, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PROCESSING', ?, ?, ?, ${plan.route === 'INTERNAL' ? 'now()' : 'null'}, now(), now())`,
    [
      req.transferId,
      req.tenantId,
      req.workspaceId,
      req.sourceWalletId,
      JSON.stringify(req.destination),
      plan.destinationWalletId,
      plan.channelProductCode,
      req.amount,
      plan.fee.toString(),
      req.currency,
      req.reference,
      req.memo,
      req.idempotencyKey,
      workflowId,
      req.actorUserId,
    ],
  );
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

export function transferActivities(deps: ActivityDeps) {
  return {
    /**
     * Validates a transfer, computes its fee and holds amount + fee (PENDING) in ONE transaction that also
     * creates the transfer row: a refusal (non-retryable, with its code) writes nothing. Idempotent by transfer ID.
     * Undone by releaseTransfer.
     */
    async holdTransferFunds(input: {
      key: string;
      workflowId: string;
      request: TransferRequest;
    }): Promise<HoldResult> {
      const req = input.request;
      const existing = await findTransfer(deps.orm.em.fork(), req.transferId);
      if (existing) return holdResultOf(existing);
      const draft = await inTransaction(deps, (em) => planTransfer(em, req));
      const accounts = await ensurePostingAccounts(deps, req, draft);
      return inTransaction(deps, async (em) => {
        // Every account this transfer can touch, locked in the one fixed order before anything is re-read.
        await lockAccounts(em, [
          draft.source.accountId,
          draft.destinationAccountId ?? accounts.credit!,
          ...(draft.fee > 0n ? [accounts.feeRevenue] : []),
        ]);
        const again = await findTransfer(em, req.transferId);
        if (again) return holdResultOf(again);
        const plan = await planTransfer(em, req);
        if (plan.destinationAccountId !== draft.destinationAccountId || (plan.fee > 0n && draft.fee === 0n)) {
          throw new Error('the transfer plan changed while locking; retrying');
        }
        const today = await outgoingToday(em, plan.source.id);
        if (plan.source.limitDaily !== null && today + toMinor(req.amount) > plan.source.limitDaily) {
          refuse(
            'LIMIT_EXCEEDED',
            `the wallet's daily limit is ${plan.source.limitDaily} (used today: ${today})`,
          );
        }
        await insertTransfer(em, req, plan, input.workflowId);
        try {
          await holdFunds(em, {
            tenantId: req.tenantId,
            currency: req.currency,
            operationId: req.transferId,
            step: HOLD_STEP,
            description: `Transfer ${req.transferId}`,
            transferId: req.transferId,
            legs: legsOf(req, plan, accounts),
          });
        } catch (err) {
          if (err instanceof InsufficientFundsError) {
            refuse(
              'INSUFFICIENT_FUNDS',
              `the wallet's available balance ${err.available} does not cover ${err.needed}`,
            );
          }
          throw err;
        }
        await recordTransferEvents(em, req.transferId, [
          { type: 'FUNDS_HELD', data: { amount: Number(req.amount), fee: Number(plan.fee) } },
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
        return holdResultOf({ ...plan, status: 'PROCESSING' });
      });
    },

    /** Posts the hold: the destination and fee revenue are credited, the transfer is COMPLETED. Idempotent. */
    async postTransfer(input: {
      key: string;
      transferId: string;
      events?: TransferEventInput[];
    }): Promise<void> {
      await inTransaction(deps, async (em) => {
        try {
          await resolveHold(em, input.transferId, HOLD_STEP, 'POSTED');
        } catch (err) {
          if (err instanceof LedgerStateError)
            throw ApplicationFailure.nonRetryable(err.message, 'LEDGER_STATE');
          throw err;
        }
        await em.execute(
          `update transfer set status = 'COMPLETED', completed_at = coalesce(completed_at, now()), updated_at = now()
            where id = ? and status = 'PROCESSING'`,
          [input.transferId],
        );
        await recordTransferEvents(em, input.transferId, [...(input.events ?? []), { type: 'COMPLETED' }]);
      });
    },

    /**
     * Compensation of holdTransferFunds: voids the hold (available again) and ends the transfer FAILED or
     * CANCELLED with its code. Idempotent.
     */
    async releaseTransfer(input: {
      key: string;
      transferId: string;
      status: 'FAILED' | 'CANCELLED';
      failureCode: string | null;
      failureMessage: string | null;
      events?: TransferEventInput[];
    }): Promise<void> {
      await inTransaction(deps, async (em) => {
        const transfer = await findTransfer(em, input.transferId);
        if (!transfer) return;
        try {
          await resolveHold(em, input.transferId, HOLD_STEP, 'VOIDED');
        } catch (err) {
          if (err instanceof LedgerStateError)
            throw ApplicationFailure.nonRetryable(err.message, 'LEDGER_STATE');
          throw err;
        }
        await em.execute(
          `update transfer set status = ?, failure_code = ?, failure_message = ?, completed_at = coalesce(completed_at, now()),
             updated_at = now() where id = ? and status = 'PROCESSING'`,
          [input.status, input.failureCode, input.failureMessage, input.transferId],
        );
        await recordTransferEvents(em, input.transferId, [
          ...(input.events ?? []),
          { type: 'FUNDS_RELEASED' },
          { type: input.status, data: input.failureCode ? { failureCode: input.failureCode } : {} },
        ]);
      });
    },

    /**
     * Marks a transfer as cancel-requested if it has not been submitted to a channel yet (decided under the
     * transfer's row lock, so a concurrent submission and a cancel can never both win).
     */
    async requestTransferCancel(input: {
      key: string;
      transferId: string;
      actorUserId: string | null;
    }): Promise<void> {
      await inTransaction(deps, async (em) => {
        const t = await findTransfer(em, input.transferId, {}, true);
        if (!t || t.status !== 'PROCESSING' || t.submittedAt) {
          throw ApplicationFailure.nonRetryable(
            `the transfer is ${t?.submittedAt && t.status === 'PROCESSING' ? 'already submitted to the channel' : (t?.status.toLowerCase() ?? 'unknown')}`,
            'TRANSFER_NOT_CANCELLABLE',
          );
        }
        await em.execute(
          'update transfer set cancel_requested_at = coalesce(cancel_requested_at, now()) where id = ?',
          [input.transferId],
        );
        await recordTransferEvents(em, input.transferId, [{ type: 'CANCEL_REQUESTED' }]);
        await recordAudit(em, {
          tenantId: t.tenantId,
          workspaceId: t.workspaceId,
          actorUserId: input.actorUserId,
          action: 'transfer.cancel_requested',
          targetType: 'transfer',
          targetId: t.id,
          data: { key: input.key },
        });
      });
    },
  };
}
