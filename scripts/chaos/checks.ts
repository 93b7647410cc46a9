// What must hold once the chaos run has settled; each failed check is a violation (non-zero exit).
import type { EntityManager } from '@mikro-orm/postgresql';
import { checkLedger } from '../../db/store/ledger-check';
import { transferIdFor } from '../../domain/transfers';
import type { KeyRecord } from './workload';

export interface ChaosReport {
  counts: Record<string, number | string>;
  violations: string[];
}

async function one(em: EntityManager, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await em.execute<{ n: string }[]>(sql, params);
  return Number(row?.n ?? 0);
}

export async function verify(
  em: EntityManager,
  records: KeyRecord[],
  deposited: Record<string, number>,
): Promise<ChaosReport> {
  const violations: string[] = [];
  const counts: Record<string, number | string> = {};
  const fail = (message: string) => violations.push(message);

  const accepted = records.filter((r) => r.final === 'ACCEPTED');
  counts.transfersRequested = records.length;
  counts.accepted = accepted.length;
  counts.refused = records.filter((r) => r.final === 'REFUSED').length;
  counts.gaveUp = records.filter((r) => r.final === 'GAVE_UP').length;
  counts.unknownOutcomesRetried = records.reduce((n, r) => n + r.unknownOutcomes, 0);
  counts.keysRetriedAfterUnknown = records.filter((r) => r.unknownOutcomes > 0).length;
  counts.keysReplayedAfterSuccess = records.filter((r) => r.replayedAfterSuccess).length;
  for (const kind of ['INTERNAL', 'BANK_OK', 'BANK_REJECT', 'BANK_TIMEOUT']) {
    counts[`accepted.${kind}`] = accepted.filter((r) => r.kind === kind).length;
  }
  if (counts.gaveUp) fail(`${counts.gaveUp} transfers never got a definite answer`);
  for (const r of records.filter((x) => x.final === 'GAVE_UP').slice(0, 10)) {
    fail(`key ${r.key} gave up after ${r.attempts} tries: ${JSON.stringify(r.errors)}, last: ${r.lastError}`);
  }
  const errors: Record<string, number> = {};
  for (const r of records) for (const [e, n] of Object.entries(r.errors)) errors[e] = (errors[e] ?? 0) + n;
  for (const [e, n] of Object.entries(errors).sort()) counts[`answers.${e}`] = n;

  // Each Idempotency-Key names one transfer, moved money at most once.
  for (const r of records) {
    if (r.ids.size > 1) fail(`key ${r.key} answered ${r.ids.size} different transfers`);
    const expected = transferIdFor(r.workspaceId, r.key);
    for (const id of r.ids) if (id !== expected) fail(`key ${r.key} answered ${id}, expected ${expected}`);
  }
  counts.keysMovingMoneyTwice = await one(
    em,
    `select count(*) as n from (select workspace_id, idempotency_key from transfer
       group by workspace_id, idempotency_key having count(*) > 1) d`,
  );
  if (counts.keysMovingMoneyTwice) fail(`${counts.keysMovingMoneyTwice} keys created more than one transfer`);

  // Every accepted transfer is terminal; no hold is left pending.
  const statuses = await em.execute<{ id: string; status: string; failure_code: string | null }[]>(
    'select id, status, failure_code from transfer',
  );
  const byId = new Map(statuses.map((t) => [t.id, t]));
  // The bank's own record decides what a 000... payout's ending must be: rejected by the bank -> CHANNEL_REJECTED;
  // recalled before the (slow, often killed) simulated bank decided -> the bank never answered: CHANNEL_TIMEOUT.
  const bankStatus = new Map(
    (
      await em.execute<{ transfer_id: string; status: string }[]>(
        'select transfer_id, status from sandbox_bank_payout',
      )
    ).map((b) => [b.transfer_id, b.status]),
  );
  const rejectEnding = (id: string) =>
    bankStatus.get(id) === 'RECALLED' ? 'CHANNEL_TIMEOUT' : 'CHANNEL_REJECTED';
  let recalledFirst = 0;
  for (const r of accepted) {
    const t = byId.get([...r.ids][0]!);
    if (!t) fail(`accepted transfer ${[...r.ids][0]} is missing`);
    else if (t.status === 'PROCESSING') fail(`accepted transfer ${t.id} is still PROCESSING`);
    else if (r.kind === 'BANK_REJECT' && !(t.status === 'FAILED' && t.failure_code === rejectEnding(t.id)))
      fail(`000... transfer ${t.id} ended ${t.status}/${t.failure_code}, not FAILED/${rejectEnding(t.id)}`);
    else if (r.kind === 'BANK_REJECT' && rejectEnding(t.id) === 'CHANNEL_TIMEOUT') recalledFirst++;
    else if (r.kind === 'BANK_TIMEOUT' && !(t.status === 'FAILED' && t.failure_code === 'CHANNEL_TIMEOUT'))
      fail(`999... transfer ${t.id} ended ${t.status}/${t.failure_code}, not FAILED/CHANNEL_TIMEOUT`);
    else if (r.kind === 'INTERNAL' && t.status !== 'COMPLETED')
      fail(`internal transfer ${t.id} ended ${t.status}`);
  }
  counts.bankRejectRecalledFirst = recalledFirst;
  for (const status of ['COMPLETED', 'FAILED', 'CANCELLED', 'PROCESSING']) {
    counts[`transfers.${status}`] = statuses.filter((t) => t.status === status).length;
  }
  for (const code of ['CHANNEL_REJECTED', 'CHANNEL_TIMEOUT', 'CHANNEL_UNAVAILABLE']) {
    counts[`failed.${code}`] = statuses.filter((t) => t.failure_code === code).length;
  }
  counts.bankOkRecalled = accepted.filter(
    (r) => r.kind === 'BANK_OK' && byId.get([...r.ids][0]!)?.failure_code === 'CHANNEL_TIMEOUT',
  ).length;
  counts.pendingHolds = await one(
    em,
    `select count(*) as n from ledger_transaction where status = 'PENDING'`,
  );
  if (counts.pendingHolds) fail(`${counts.pendingHolds} holds are still pending`);

  // The ledger invariants.
  const ledger = await checkLedger(em, { requireTerminal: true });
  counts.ledgerCheck = ledger.ok ? 'passed' : `FAILED (${ledger.violations.length})`;
  for (const v of ledger.violations) fail(`ledger: ${v}`);

  // The bank's books against ours.
  const bank = await em.execute<{ status: string; n: string }[]>(
    'select status, count(*) as n from sandbox_bank_payout group by status',
  );
  for (const b of bank) counts[`bank.${b.status}`] = Number(b.n);
  const corrected = `exists (select 1 from ledger_transaction c where c.operation_id = t.id::text and c.step = 'correction')`;
  counts.bankConfirmedButVoided = await one(
    em,
    `select count(*) as n from transfer t join sandbox_bank_payout b on b.transfer_id = t.id
      where b.status = 'CONFIRMED' and t.status <> 'COMPLETED' and not ${corrected}`,
  );
  counts.bankConfirmedButVoidedCorrected = await one(
    em,
    `select count(*) as n from transfer t join sandbox_bank_payout b on b.transfer_id = t.id
      where b.status = 'CONFIRMED' and t.status <> 'COMPLETED' and ${corrected}`,
  );
  counts.bankRejectedButCompleted = await one(
    em,
    `select count(*) as n from transfer t join sandbox_bank_payout b on b.transfer_id = t.id
      where b.status in ('REJECTED', 'RECALLED') and t.status = 'COMPLETED' and not ${corrected}`,
  );
  if (counts.bankConfirmedButVoided)
    fail(`${counts.bankConfirmedButVoided} bank-confirmed payouts have a voided hold`);
  if (counts.bankRejectedButCompleted)
    fail(`${counts.bankRejectedButCompleted} bank-rejected payouts completed`);
  counts.completedWithoutBankPayment = await one(
    em,
    `select count(*) as n from transfer t left join sandbox_bank_payout b on b.transfer_id = t.id
      where t.destination_wallet_id is null and t.status = 'COMPLETED' and coalesce(b.status, '') <> 'CONFIRMED'
        and not ${corrected}`,
  );
  if (counts.completedWithoutBankPayment)
    fail(`${counts.completedWithoutBankPayment} payouts completed unpaid`);

  // Callback faults and verdicts.
  const faults = await em.execute<{ callback_fault: string; n: string }[]>(
    `select callback_fault, count(*) as n from sandbox_bank_payout where callback_fault is not null group by callback_fault`,
  );
  for (const f of faults) counts[`callbacks.${f.callback_fault}`] = Number(f.n);
  counts.callbacksSent = await one(
    em,
    'select coalesce(sum(callbacks_sent), 0) as n from sandbox_bank_payout',
  );
  const verdicts = await em.execute<{ source: string; n: string; deliveries: string }[]>(
    'select source, count(*) as n, sum(deliveries) as deliveries from channel_verdict group by source',
  );
  for (const v of verdicts) counts[`verdicts.${v.source}`] = `${v.n} (${v.deliveries} deliveries)`;
  counts.verdictsContradicting = await one(
    em,
    'select count(*) as n from channel_verdict where contradicted_at is not null',
  );
  counts.corrections = await one(
    em,
    `select count(*) as n from ledger_transaction where step = 'correction'`,
  );

  // Money per currency: deposits = wallets + fee revenue + paid out to the bank - owed back (receivable).
  const balances = await em.execute<
    { currency: string; kind: string; system_key: string | null; net: string }[]
  >(
    `select currency, kind, system_key, sum(credits_posted - debits_posted) as net from ledger_account
      group by currency, kind, system_key`,
  );
  for (const currency of Object.keys(deposited)) {
    const net = (pred: (b: (typeof balances)[number]) => boolean) =>
      balances.filter((b) => b.currency === currency && pred(b)).reduce((n, b) => n + BigInt(b.net), 0n);
    const funding = -net((b) => b.kind === 'FUNDING');
    const wallets = net((b) => b.kind === 'WALLET');
    const fees = net((b) => b.kind === 'FEE_REVENUE');
    const settlement = net((b) => b.kind === 'SETTLEMENT');
    const receivable = -net((b) => b.kind === 'PAYOUT_RECEIVABLE');
    const paidByBank = BigInt(
      (
        await em.execute<{ n: string }[]>(
          `select coalesce(sum(amount), 0) as n from sandbox_bank_payout where currency = ? and status = 'CONFIRMED'`,
          [currency],
        )
      )[0]!.n,
    );
    counts[`money.${currency}`] =
      `deposited ${deposited[currency]} = wallets ${wallets} + fees ${fees} + paid by bank ${paidByBank} - receivable ${receivable}`;
    if (funding !== BigInt(deposited[currency]!))
      fail(`${currency}: funding ${funding} != deposited ${deposited[currency]}`);
    if (settlement !== paidByBank)
      fail(`${currency}: settlement ${settlement} != paid by the bank ${paidByBank}`);
    if (wallets + fees + paidByBank - receivable !== BigInt(deposited[currency]!)) {
      fail(`${currency}: money not conserved (${counts[`money.${currency}`]})`);
    }
  }
  return { counts, violations };
}
