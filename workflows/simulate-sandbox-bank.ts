// The simulated SANDBOX_BANK processing one payout (ID sandbox-bank-<transferId>): after a short delay it
// calls the API's channel callback with its verdict, or never answers (999... accounts). Nothing to undo.
import { proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index';
import type { SandboxBankInput } from '../activities/channels';
import { DELIVERY } from './profiles';

const bank = proxyActivities<Activities>(DELIVERY);

export async function simulateSandboxBankWorkflow(input: SandboxBankInput): Promise<void> {
  if (input.outcome === 'NEVER') return;
  await sleep(input.delayMs);
  await bank.deliverSandboxBankCallback({
    key: workflowInfo().workflowId,
    transferId: input.transferId,
    status: input.outcome,
    reason: input.outcome === 'REJECTED' ? 'the beneficiary account was rejected by the bank' : null,
  });
}
