// The simulated SANDBOX_BANK processing one payout (ID sandbox-bank-<transferId>): after a short delay the bank
// decides the payout in its own records (999... accounts stay pending forever; a recalled payout is never paid)
// and calls the API's channel callback with its verdict; the callback may be lost, delayed past the confirmation
// timeout, or sent twice (SANDBOX_BANK_CALLBACK_FAULT_RATE). Nothing to undo.
import { patched, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index';
import type { SandboxBankInput } from '../activities/channels';
import { DB_WRITE, DELIVERY } from './profiles';

const bankDesk = proxyActivities<Activities>(DB_WRITE);
const bank = proxyActivities<Activities>(DELIVERY);

/** Patch: the bank decides in its own records first (recalls honoured) and its callbacks can suffer faults. */
export const BANK_RECORDS_PATCH = 'sandbox-bank-own-records';

export async function simulateSandboxBankWorkflow(input: SandboxBankInput): Promise<void> {
  const key = workflowInfo().workflowId;
  if (!patched(BANK_RECORDS_PATCH)) {
    if (input.outcome === 'NEVER') return;
    await sleep(input.delayMs);
    await bank.deliverSandboxBankCallback({
      key,
      transferId: input.transferId,
      status: input.outcome,
      reason: input.outcome === 'REJECTED' ? 'the beneficiary account was rejected by the bank' : null,
    });
    return;
  }
  await sleep(input.delayMs);
  const settled = await bankDesk.settleSandboxBankPayout({
    key: `${key}:settle`,
    transferId: input.transferId,
  });
  if (!settled.verdict || settled.fault === 'LOST') return;
  if (settled.extraDelayMs > 0) await sleep(settled.extraDelayMs);
  const callback = { transferId: input.transferId, status: settled.verdict, reason: null };
  await bank.deliverSandboxBankCallback({ key: `${key}:callback`, ...callback });
  if (settled.fault === 'DUPLICATED') {
    await bank.deliverSandboxBankCallback({ key: `${key}:callback-again`, ...callback });
  }
}
