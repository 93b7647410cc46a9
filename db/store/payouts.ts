// The sandbox bank's own payout records, the verdicts we received, and the reconciliation's view of both next to
// our transfers: the only code touching sandbox_bank_payout and channel_verdict.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PayoutVerdict, VerdictSource } from '../../domain/payouts/contract';
import type { CallbackFault } from '../../domain/payouts/rules';
import { CORRECTION_STEP } from '../../domain/payouts/rules';

export type BankPayoutStatus = 'PENDING' | 'CONFIRMED' | 'REJECTED' | 'RECALLED';

export interface BankPayoutRow {
  transferId: string;
  tenantId: string;
  amount: bigint;
  currency: string;
  accountNumber: string;
  status: BankPayoutStatus;
  plannedOutcome: 'CONFIRMED' | 'REJECTED' | 'NEVER';
  bankReference: string;
  callbackFault: CallbackFault | null;
  callbacksSent: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw SQL row, typed field by field below
function toBankPayout(r: Record<string, any>): BankPayoutRow {
  return {
    transferId: r.transfer_id,
    tenantId: r.tenant_id,
    amount: BigInt(r.amount),
    currency: r.currency,
    accountNumber: r.account_number,
    status: r.status,
    plannedOutcome: r.planned_outcome,
    bankReference: r.bank_reference,
    callbackFault: r.callback_fault,
    callbacksSent: Number(r.callbacks_sent),
  };
}

export interface NewBankPayout {
  transferId: string;
  tenantId: string;
  amount: bigint;
  currency: string;
  accountNumber: string;
  plannedOutcome: 'CONFIRMED' | 'REJECTED' | 'NEVER';
  bankReference: string;
  /** RECALLED records a recall that arrived before the payout itself: the bank will refuse it later. */
  status?: 'PENDING' | 'RECALLED';
}

/** The bank accepts a payout once per transfer ID; a repeated submission returns the existing record. */
export async function acceptBankPayout(em: EntityManager, p: NewBankPayout): Promise<BankPayoutRow> {
  await em.execute(
    `insert into sandbox_bank_payout (transfer_id, tenant_id, amount, currency, account_number, status,
       planned_outcome, bank_reference, received_at, decided_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, clock_timestamp(), ${p.status === 'RECALLED' ? 'clock_timestamp()' : 'null'})
     on conflict (transfer_id) do nothing`,
    [
      p.transferId,
      p.tenantId,
      p.amount.toString(),
      p.currency,
      p.accountNumber,
      p.status ?? 'PENDING',
      p.plannedOutcome,
      p.bankReference,
    ],
  );
  return (await findBankPayout(em, p.transferId))!;
}

export async function findBankPayout(
  em: EntityManager,
  transferId: string,
  forUpdate = false,
): Promise<BankPayoutRow | null> {
  const [row] = await em.execute(
    `select * from sandbox_bank_payout where transfer_id = ?${forUpdate ? ' for update' : ''}`,
    [transferId],
  );
  return row ? toBankPayout(row) : null;
}

/** Moves a PENDING payout to its final bank status (exactly once) and fixes its callback fault. */
export async function decideBankPayout(
  em: EntityManager,
  transferId: string,
  status: 'CONFIRMED' | 'REJECTED' | 'RECALLED',
  callbackFault: CallbackFault | null = null,
): Promise<void> {
  await em.execute(
    `update sandbox_bank_payout set status = ?, callback_fault = ?, decided_at = clock_timestamp()
      where transfer_id = ? and status = 'PENDING'`,
    [status, callbackFault, transferId],
  );
}

export async function countBankCallback(em: EntityManager, transferId: string): Promise<void> {
  await em.execute(
    'update sandbox_bank_payout set callbacks_sent = callbacks_sent + 1 where transfer_id = ?',
    [transferId],
  );
}

export interface VerdictInput {
  transferId: string;
  verdict: PayoutVerdict;
  source: VerdictSource;
  bankReference: string | null;
  reason: string | null;
}

/** Stores a verdict once per (transfer, verdict); a repeat counts a delivery. Returns whether it was new. */
export async function storeVerdict(em: EntityManager, v: VerdictInput): Promise<{ duplicate: boolean }> {
  const [row] = await em.execute<{ deliveries: number }[]>(
    `insert into channel_verdict (transfer_id, verdict, source, bank_reference, reason, deliveries, received_at)
     values (?, ?, ?, ?, ?, 1, clock_timestamp())
     on conflict (transfer_id, verdict) do update set deliveries = channel_verdict.deliveries + 1
     returning deliveries`,
    [v.transferId, v.verdict, v.source, v.bankReference, v.reason],
  );
  return { duplicate: Number(row!.deliveries) > 1 };
}

export async function markVerdictContradicted(
  em: EntityManager,
  transferId: string,
  verdict: PayoutVerdict,
): Promise<void> {
  await em.execute(
    `update channel_verdict set contradicted_at = coalesce(contradicted_at, clock_timestamp())
      where transfer_id = ? and verdict = ?`,
    [transferId, verdict],
  );
}

/** External transfers still PROCESSING although submitted before `submittedBefore`. */
export async function listStuckPayouts(
  em: EntityManager,
  submittedBefore: Date,
  limit: number,
): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select id from transfer
      where status = 'PROCESSING' and destination_wallet_id is null and submitted_at < ?
      order by submitted_at limit ?`,
    [submittedBefore, limit],
  );
  return rows.map((r) => r.id);
}

export interface PayoutMismatch {
  transferId: string;
  transferStatus: string;
  /** The verdict that contradicts our final state (from the bank's records or a stored verdict). */
  verdict: PayoutVerdict;
  bankStatus: BankPayoutStatus | null;
  bankReference: string | null;
}

/**
 * External transfers closed since `closedSince` that the bank's records or a stored verdict contradict, with no
 * correcting posting yet: paid by the bank but released by us, or refused/recalled by the bank but posted by us.
 */
export async function listPayoutMismatches(
  em: EntityManager,
  closedSince: Date,
  limit: number,
): Promise<PayoutMismatch[]> {
  const rows = await em.execute(
    `select t.id, t.status, b.status as bank_status, b.bank_reference
       from transfer t left join sandbox_bank_payout b on b.transfer_id = t.id
      where t.completed_at >= ? and t.destination_wallet_id is null
        and ((t.status in ('FAILED', 'CANCELLED')
              and (b.status = 'CONFIRMED' or exists (select 1 from channel_verdict v
                     where v.transfer_id = t.id and v.verdict = 'CONFIRMED')))
          or (t.status = 'COMPLETED'
              and (b.status in ('REJECTED', 'RECALLED') or exists (select 1 from channel_verdict v
                     where v.transfer_id = t.id and v.verdict = 'REJECTED'))))
        and not exists (select 1 from ledger_transaction c where c.operation_id = t.id::text and c.step = ?)
      order by t.completed_at limit ?`,
    [closedSince, CORRECTION_STEP, limit],
  );
  return rows.map((r) => ({
    transferId: r.id,
    transferStatus: r.status,
    verdict: r.status === 'COMPLETED' ? 'REJECTED' : 'CONFIRMED',
    bankStatus: r.bank_status ?? null,
    bankReference: r.bank_reference ?? null,
  }));
}
