// Bulk onboarding (`onboarding-batch-<id>`): provisions the batch's valid rows in chunks, one activity per chunk
// (each row one transaction in it, its IDs derived from batch and row), at most `concurrency` chunks at a time,
// one page of rows per run (continue-as-new keeps history bounded). Progress lives in the rows. The cancel signal
// stops new chunks from starting; rows never started end SKIPPED. No compensation of its own: a refused row rolls
// back whole. Runs started before the chunks provision each row as a child partner-provisioning workflow. The
// workflow ID, input and signals are the contract in domain/onboarding/contract.ts.
import {
  condition,
  continueAsNew,
  executeChild,
  patched,
  proxyActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index';
import {
  BATCH_STORE_WAIT_MS,
  batchStoredSignal,
  cancelOnboardingSignal,
  ONBOARDING_ROWS_PER_CHUNK,
  ONBOARDING_ROWS_PER_RUN,
  type OnboardPartnersInput,
  type PendingOnboardingRow,
} from '../domain/onboarding/contract';
import { partnerProvisioningWorkflowId, type ProvisionPartnerInput } from '../domain/partners/contract';
import { SYSTEM_ROLES } from '../domain/permissions';
import { DB_BATCH, DB_WRITE } from './profiles';
import { provisionPartnerWorkflow } from './provision-partner';
import { operationAttributes } from './search-attributes';
import { markStatus } from './status';

const act = proxyActivities<Activities>(DB_WRITE);
const bulk = proxyActivities<Activities>(DB_BATCH);

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

/**
 * The API starts this workflow before it commits the batch, then signals `batchStored`. Without the signal in
 * time (the API crashed or its commit failed), the batch runs if its rows exist and is otherwise settled
 * CANCELLED, so a batch can never stay RUNNING with nothing working on it.
 */
async function awaitStoredBatch(input: OnboardPartnersInput): Promise<'STORED' | 'ABANDONED'> {
  let stored = false;
  setHandler(batchStoredSignal, () => {
    stored = true;
  });
  if (await condition(() => stored, input.storeWaitMs ?? BATCH_STORE_WAIT_MS)) return 'STORED';
  return act.settleUnstoredBatch({
    key: `${workflowInfo().workflowId}:settle`,
    batchId: input.batchId,
    tenantId: input.tenantId,
    workspaceId: input.workspaceId,
    actorUserId: input.actorUserId,
  });
}

/** A row whose provisioning failed without marking it: FAILED with the reason (finished rows stay). */
function failRow(key: string, batchId: string, row: PendingOnboardingRow, err: unknown): Promise<void> {
  return act.failOnboardingRow({
    key: `${key}:row-${row.rowNumber}:failed`,
    batchId,
    rowNumber: row.rowNumber,
    reason: err instanceof Error ? err.message : String(err),
  });
}

export async function onboardPartnersWorkflow(input: OnboardPartnersInput): Promise<string> {
  const key = workflowInfo().workflowId;
  const rowsPerRun = input.rowsPerRun ?? ONBOARDING_ROWS_PER_RUN;
  let cancelled = false;
  setHandler(cancelOnboardingSignal, () => {
    cancelled = true;
  });
  if (input.afterRowNumber === 0 && patched('batch-stored-signal')) {
    const outcome = await awaitStoredBatch(input);
    if (outcome === 'ABANDONED') {
      markStatus(outcome);
      return outcome;
    }
  }

  const rows = await act.loadPendingOnboardingRows({
    key: `${key}:rows-after-${input.afterRowNumber}`,
    batchId: input.batchId,
    afterRowNumber: input.afterRowNumber,
    limit: rowsPerRun,
  });

  let inFlight = 0;
  const waitForSlot = async () => {
    await condition(() => inFlight < input.concurrency || cancelled);
    if (!cancelled) inFlight += 1;
    return !cancelled;
  };
  if (patched('onboarding-row-chunks')) {
    const size = Math.min(ONBOARDING_ROWS_PER_CHUNK, Math.ceil(rows.length / input.concurrency));
    const runChunk = async (chunk: PendingOnboardingRow[]): Promise<void> => {
      try {
        await bulk.provisionOnboardingRows({
          key,
          batchId: input.batchId,
          tenantId: input.tenantId,
          actorUserId: input.actorUserId,
          invitationTtlMs: input.invitationTtlMs,
          rows: chunk,
        });
      } catch (err) {
        for (const row of chunk) await failRow(key, input.batchId, row, err);
      } finally {
        inFlight -= 1;
      }
    };
    for (let i = 0; i < rows.length && (await waitForSlot()); i += size) {
      void runChunk(rows.slice(i, i + size));
    }
  } else {
    const runRow = async (row: PendingOnboardingRow): Promise<void> => {
      const child = provisioningInput(input, row);
      try {
        await executeChild(provisionPartnerWorkflow, {
          workflowId: partnerProvisioningWorkflowId(child.partnerId),
          args: [child],
          typedSearchAttributes: operationAttributes(input.tenantId, child.workspaceId),
        });
      } catch (err) {
        await failRow(key, input.batchId, row, err);
      } finally {
        inFlight -= 1;
      }
    };
    for (const row of rows) {
      if (!(await waitForSlot())) break;
      void runRow(row);
    }
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
