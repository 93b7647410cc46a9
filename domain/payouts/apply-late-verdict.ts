// Use case: a bank verdict about a transfer that has already closed. A consistent one changes nothing; one that
// contradicts the final state is marked, alerted (transfer event + audit row) and reconciled in the ledger with
// one correcting posting, all in one transaction. Idempotent: the posting is unique per transfer.
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../../db/store/audit';
import {
  ensureSystemAccount,
  InsufficientFundsError,
  postImmediately,
  SYSTEM_ACCOUNTS,
  type Leg,
} from '../../db/store/ledger';
import { markVerdictContradicted } from '../../db/store/payouts';
import { findTransfer, recordTransferEvents, type TransferRow } from '../../db/store/transfers';
import { findWallet } from '../../db/store/wallets';
import type { LateVerdictOutcome, PayoutVerdict } from './contract';
import { CORRECTION_STEP, isClosedTransfer, PAYOUT_RECEIVABLE, verdictContradicts } from './rules';

export class TransferNotFoundError extends Error {}

interface CorrectionAccounts {
  wallet: string;
  settlement: string;
  feeRevenue: string;
  receivable: string;
}

/** System accounts first, each in its own statement (never created under the posting's locks). */
async function correctionAccounts(em: EntityManager, t: TransferRow): Promise<CorrectionAccounts> {
  const wallet = await findWallet(em, t.sourceWalletId, { tenantId: t.tenantId });
  if (!wallet) throw new TransferNotFoundError(`the source wallet of ${t.id} does not exist`);
  // The transfer's own shards of settlement and fee revenue: the ones its hold credited.
  const system = (key: string, sharded: boolean) =>
    ensureSystemAccount(em, t.tenantId, t.currency, key, sharded ? t.id : undefined);
  return {
    wallet: wallet.accountId,
    settlement: await system(SYSTEM_ACCOUNTS.settlement(t.channelProductCode), true),
    feeRevenue: await system(SYSTEM_ACCOUNTS.FEE_REVENUE, true),
    receivable: await system(PAYOUT_RECEIVABLE, false),
  };
}

/**
 * Paid after we released: the payout amount moves from the wallet to settlement (the fee is waived); when the
 * wallet cannot cover it, from the PAYOUT_RECEIVABLE account (what the partner owes, recovered by an operator).
 * Refused after we posted: amount and fee go back from settlement and fee revenue to the wallet.
 */
async function postCorrection(
  em: EntityManager,
  t: TransferRow,
  verdict: PayoutVerdict,
  accounts: CorrectionAccounts,
): Promise<{ outcome: LateVerdictOutcome; created: boolean }> {
  const posting = async (legs: Leg[], outcome: LateVerdictOutcome) => {
    const { created } = await postImmediately(em, {
      tenantId: t.tenantId,
      currency: t.currency,
      operationId: t.id,
      step: CORRECTION_STEP,
      transferId: t.id,
      description: `Correction of transfer ${t.id}: the bank ${verdict.toLowerCase()} it after it closed`,
      legs,
    });
    return { outcome, created };
  };
  const description = `Bank ${verdict.toLowerCase()} transfer ${t.id} after it closed`;
  if (verdict === 'REJECTED') {
    const legs: Leg[] = [
      { debit: accounts.settlement, credit: accounts.wallet, amount: t.amount, description },
    ];
    if (t.fee > 0n)
      legs.push({ debit: accounts.feeRevenue, credit: accounts.wallet, amount: t.fee, description });
    return posting(legs, { kind: 'CORRECTED', from: 'SETTLEMENT', amount: (t.amount + t.fee).toString() });
  }
  const amount = t.amount.toString();
  try {
    return await posting(
      [{ debit: accounts.wallet, credit: accounts.settlement, amount: t.amount, description }],
      { kind: 'CORRECTED', from: 'WALLET', amount },
    );
  } catch (err) {
    if (!(err instanceof InsufficientFundsError)) throw err;
  }
  return posting(
    [{ debit: accounts.receivable, credit: accounts.settlement, amount: t.amount, description }],
    {
      kind: 'CORRECTED',
      from: 'RECEIVABLE',
      amount,
    },
  );
}

/** Applies `verdict` to a closed transfer (OPEN when it is still running: its workflow applies it). */
export async function applyLateVerdict(
  em: EntityManager,
  input: { transferId: string; verdict: PayoutVerdict; requestId?: string | null },
): Promise<LateVerdictOutcome> {
  const transfer = await findTransfer(em, input.transferId);
  if (!transfer) throw new TransferNotFoundError(`transfer ${input.transferId} does not exist`);
  if (!isClosedTransfer(transfer.status)) return { kind: 'OPEN' };
  if (!verdictContradicts(transfer.status, input.verdict)) return { kind: 'CONSISTENT' };
  const accounts = await correctionAccounts(em, transfer);
  return em.transactional(async (tx) => {
    const { outcome, created } = await postCorrection(tx, transfer, input.verdict, accounts);
    if (!created) return outcome;
    await markVerdictContradicted(tx, transfer.id, input.verdict);
    await recordTransferEvents(tx, transfer.id, [
      { type: 'VERDICT_CONTRADICTED', data: { verdict: input.verdict, finalStatus: transfer.status } },
      { type: 'CORRECTION_POSTED', data: { ...outcome } },
    ]);
    await recordAudit(tx, {
      tenantId: transfer.tenantId,
      workspaceId: transfer.workspaceId,
      actorUserId: null,
      action: 'payout.verdict_contradicted',
      targetType: 'transfer',
      targetId: transfer.id,
      data: { verdict: input.verdict, finalStatus: transfer.status, correction: outcome },
      requestId: input.requestId ?? null,
    });
    return outcome;
  });
}
