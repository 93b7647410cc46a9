// Bulk onboarding (`onboarding-batch-<id>`): provisions the batch's valid rows as child partner-provisioning
// workflows, at most `concurrency` at a time, one page of rows per run (continue-as-new keeps history bounded).
// Progress lives in the rows (each child updates its own). The cancel signal stops new rows from starting; rows
// never started end SKIPPED. No compensation of its own: each child compensates its partner.
import {
  condition,
  continueAsNew,
  defineSignal,
  executeChild,
  proxyActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index';
import type { PendingOnboardingRow } from '../activities/onboarding';
import { SYSTEM_ROLES } from '../domain/permissions';
import { DB_WRITE } from './profiles';
import {
  partnerProvisioningWorkflowId,
  provisionPartnerWorkflow,
  type ProvisionPartnerInput,
} from './provision-partner';
import { operationAttributes } from './search-attributes';
import { markStatus } from './status';

export interface OnboardPartnersInput {
  batchId: string;
  tenantId: string;
  /** The tenant workspace the batch was submitted from. */
  workspaceId: string;
  actorUserId: string | null;
  concurrency: number;
  invitationTtlMs: number;
  /** Rows up to this number were handled by earlier runs. */
  afterRowNumber: number;
  /** Rows per run before continuing as new (default ONBOARDING_ROWS_PER_RUN). */
  rowsPerRun?: number;
}

/** Rows handled per run before continuing as new. */
export const ONBOARDING_ROWS_PER_RUN = 500;

export const cancelOnboardingSignal = defineSignal('cancelOnboarding');

const act = proxyActivities<Activities>(DB_WRITE);

export function onboardingBatchWorkflowId(batchId: string): string {
  return `onboarding-batch-${batchId}`;
}

/** The provisioning input of one row; IDs come from the workflow's deterministic UUIDs. */
function provisioningInput(input: OnboardPartnersInput, row: PendingOnboardingRow): ProvisionPartnerInput {
  return {
    partnerId: uuid4(),
    tenantId: input.tenantId,
    name: row.input.name,
    workspaceId: uuid4(),
    roleIds: Object.fromEntries(SYSTEM_ROLES.map((r) => [r.name, uuid4()])),
    admin: { userId: uuid4(), membershipId: uuid4(), email: row.input.adminEmail, name: row.input.adminName },
    wallets: row.input.currencies.map((currency) => ({ id: uuid4(), currency })),
    referralCode: { id: uuid4(), code: null },
    invitation: { id: uuid4(), ttlMs: input.invitationTtlMs },
    actorUserId: input.actorUserId,
    batchRow: { batchId: input.batchId, rowNumber: row.rowNumber },
  };
}

export async function onboardPartnersWorkflow(input: OnboardPartnersInput): Promise<string> {
  const key = workflowInfo().workflowId;
  const rowsPerRun = input.rowsPerRun ?? ONBOARDING_ROWS_PER_RUN;
  let cancelled = false;
  setHandler(cancelOnboardingSignal, () => {
    cancelled = true;
  });

  const rows = await act.loadPendingOnboardingRows({
    key: `${key}:rows-after-${input.afterRowNumber}`,
    batchId: input.batchId,
    afterRowNumber: input.afterRowNumber,
    limit: rowsPerRun,
  });

  let inFlight = 0;
  const runRow = async (row: PendingOnboardingRow): Promise<void> => {
    const child = provisioningInput(input, row);
    try {
      await executeChild(provisionPartnerWorkflow, {
        workflowId: partnerProvisioningWorkflowId(child.partnerId),
        args: [child],
        typedSearchAttributes: operationAttributes(input.tenantId, child.workspaceId),
      });
    } catch (err) {
      await act.failOnboardingRow({
        key: `${key}:row-${row.rowNumber}:failed`,
        batchId: input.batchId,
        rowNumber: row.rowNumber,
        reason: err instanceof Error ? err.message : String(err),
      });
    } finally {
      inFlight -= 1;
    }
  };

  for (const row of rows) {
    await condition(() => inFlight < input.concurrency || cancelled);
    if (cancelled) break;
    inFlight += 1;
    void runRow(row);
  }
  await condition(() => inFlight === 0);

  if (!cancelled && rows.length === rowsPerRun) {
    return continueAsNew<typeof onboardPartnersWorkflow>({
      ...input,
      afterRowNumber: rows[rows.length - 1]!.rowNumber,
    });
  }
  const status = await act.finishOnboardingBatch({
    key: `${key}:finish`,
    tenantId: input.tenantId,
    batchId: input.batchId,
    cancelled,
  });
  markStatus(status);
  return status;
}
