// The worker dies at every step of the external payout path (hold, submit, the bank deciding, its callback, the
// verdict wait with the timer firing while no worker runs, inquiry, recall, release, post); a fresh worker
// finishes every transfer exactly once, in agreement with the bank's own records.
import { Context } from '@temporalio/activity';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { transferIdFor } from '../../domain/transfers';
import { decideBankPayout } from '../../db/store/payouts';
import {
  eventTypes,
  expectAgreesWithBank,
  fundedPartner,
  holdsOf,
  inquiryAfterBankDecided,
  realActivities,
  sendCallback,
  stopWorker,
  transferRow,
  usePayoutContext,
  type Overrides,
} from '../helpers/payouts';
import { bankTransfer, expectLedgerConsistent, postTransfer } from '../helpers/wallets';

const { ctx, harness } = await usePayoutContext();

type Step =
  | 'holdTransferFunds'
  | 'submitToChannel'
  | 'settleSandboxBankPayout'
  | 'deliverSandboxBankCallback'
  | 'verdictWait'
  | 'inquireChannel'
  | 'recallPayout'
  | 'releaseTransfer'
  | 'postTransfer';

/** `expected` null: the bank had not decided when the worker died, so either ending is right if it agrees. */
const SCENARIOS: {
  step: Step;
  account: string;
  callbackLost?: boolean;
  expected: [string, string | null] | null;
}[] = [
  { step: 'holdTransferFunds', account: '12345678', expected: ['COMPLETED', null] },
  { step: 'submitToChannel', account: '12345678', expected: ['COMPLETED', null] },
  { step: 'settleSandboxBankPayout', account: '12345678', expected: null },
  { step: 'deliverSandboxBankCallback', account: '12345678', expected: ['COMPLETED', null] },
  { step: 'verdictWait', account: '12345678', expected: ['COMPLETED', null] },
  { step: 'inquireChannel', account: '12345678', callbackLost: true, expected: ['COMPLETED', null] },
  { step: 'recallPayout', account: '999000111', expected: ['FAILED', 'CHANNEL_TIMEOUT'] },
  { step: 'releaseTransfer', account: '999000222', expected: ['FAILED', 'CHANNEL_TIMEOUT'] },
  { step: 'postTransfer', account: '12345678', expected: ['COMPLETED', null] },
];

const AFTER_TIMEOUT: Step[] = ['inquireChannel', 'recallPayout', 'releaseTransfer'];

interface Plan {
  killAt: Map<string, Step>;
  callbackLost: Set<string>;
  entered: Map<string, () => void>;
}

const idOf = (input: any): string => input.transferId ?? input.request.transferId;

/** Real activities, except that a planned transfer's planned step hangs until its worker dies. */
function plannedActivities(plan: Plan, killing: boolean): Overrides {
  const real = {
    ...realActivities(ctx),
    ...inquiryAfterBankDecided(ctx),
  } as unknown as Record<string, (input: any) => Promise<any>>;
  const wrap = (name: string) => async (input: any) => {
    const id = idOf(input);
    const step = plan.killAt.get(id);
    const hangs = step === name || (step === 'verdictWait' && name === 'settleSandboxBankPayout');
    if (killing && hangs) {
      plan.entered.get(id)!();
      await Context.current().cancelled;
    }
    const result = await real[name]!(input);
    if (name === 'settleSandboxBankPayout' && plan.callbackLost.has(id)) return { ...result, fault: 'LOST' };
    return result;
  };
  const names = [...new Set(SCENARIOS.map((s) => s.step)), 'settleSandboxBankPayout'].filter(
    (n) => n !== 'verdictWait',
  );
  return Object.fromEntries(names.map((n) => [n, wrap(n)]));
}

describe('killing the worker on the external payout path', () => {
  it('a fresh worker finishes every transfer once, as the bank decided, whatever step the worker died in', async () => {
    const s = await fundedPartner(ctx, 100_000);
    const plan: Plan = { killAt: new Map(), callbackLost: new Set(), entered: new Map() };
    const reached: Promise<void>[] = [];
    const keys = SCENARIOS.map((scenario) => {
      const key = randomUUID();
      const id = transferIdFor(s.partner.workspaceId, key);
      plan.killAt.set(id, scenario.step);
      if (scenario.callbackLost) plan.callbackLost.add(id);
      reached.push(new Promise<void>((resolve) => plan.entered.set(id, resolve)));
      return { key, id, scenario };
    });
    const doomed = await harness.startWorker(plannedActivities(plan, true));
    const answers: Promise<{ status: number }>[] = [];
    // Steps after the confirmation timeout first; then the others, so their timers are still running at the kill.
    for (const phase of [true, false]) {
      const batch = keys.filter((k) => AFTER_TIMEOUT.includes(k.scenario.step) === phase);
      for (const k of batch) {
        answers.push(postTransfer(ctx, s.token, bankTransfer(s.source, k.scenario.account, 1_000), k.key));
      }
      await Promise.all(batch.map((k) => reached[keys.indexOf(k)]));
    }
    await stopWorker(doomed);

    // While no worker runs, the bank pays the waiting payout and calls back; its timer fires too.
    const waiting = keys.find((k) => k.scenario.step === 'verdictWait')!;
    await decideBankPayout(ctx.orm.em.fork(), waiting.id, 'CONFIRMED');
    await sendCallback(ctx, waiting.id, 'CONFIRMED');
    await new Promise((r) => setTimeout(r, 2_500));

    await harness.startWorker(plannedActivities(plan, false));
    for (const answer of answers) expect((await answer).status).toBe(201);
    for (const { id, scenario } of keys) {
      for (let i = 0; i < 450; i++) {
        if ((await transferRow(ctx, id)).status !== 'PROCESSING') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const row = await transferRow(ctx, id);
      expect(row.status).not.toBe('PROCESSING');
      if (scenario.expected) {
        expect([scenario.step, row.status, row.failure_code]).toEqual([scenario.step, ...scenario.expected]);
      }
      const holds = await holdsOf(ctx, id);
      expect(holds).toEqual([{ step: 'hold', status: row.status === 'COMPLETED' ? 'POSTED' : 'VOIDED' }]);
      await expectAgreesWithBank(ctx, id);
      const events = await eventTypes(ctx, id);
      expect(events.filter((e) => e === 'FUNDS_HELD')).toHaveLength(1);
    }
    await expectLedgerConsistent(ctx, s.tenant.tenantId);
  }, 180_000);
});
