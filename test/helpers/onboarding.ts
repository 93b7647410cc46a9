// Onboarding batch workflows started directly (bypassing the route), for tests of the workflow's own behaviour.
import {
  onboardingBatchWorkflowId,
  type OnboardingRowInput,
  type OnboardPartnersInput,
} from '../../domain/onboarding/contract';
import type { TestContext } from './context';
import type { WorkspaceFixture } from './factories';

/** The workflow input of a batch of the tenant's, run by its admin, two rows at a time. */
export function batchWorkflowInput(
  tenant: WorkspaceFixture,
  batchId: string,
  extra: Partial<OnboardPartnersInput> = {},
): OnboardPartnersInput {
  return {
    batchId,
    tenantId: tenant.tenantId,
    workspaceId: tenant.workspaceId,
    actorUserId: tenant.admin.userId,
    concurrency: 2,
    invitationTtlMs: 60_000,
    afterRowNumber: 0,
    ...extra,
  };
}

/** Starts the batch's workflow under its contract ID. */
export function startBatchWorkflow(ctx: TestContext, input: OnboardPartnersInput) {
  return ctx.temporal.workflow.start('onboardPartnersWorkflow', {
    taskQueue: ctx.taskQueue,
    workflowId: onboardingBatchWorkflowId(input.batchId),
    args: [input],
  });
}

/** Writes a RUNNING batch of the tenant's with these rows PENDING (numbered from 1), as the route commits it. */
export async function storePendingBatch(
  ctx: TestContext,
  tenant: WorkspaceFixture,
  batchId: string,
  rows: OnboardingRowInput[],
): Promise<void> {
  await ctx.orm.em.fork().transactional(async (em) => {
    await em.execute(
      `insert into onboarding_batch (id, tenant_id, workspace_id, status, total, created_at) values (?, ?, ?, 'RUNNING', ?, now())`,
      [batchId, tenant.tenantId, tenant.workspaceId, rows.length],
    );
    for (const [i, row] of rows.entries()) {
      await em.execute(
        `insert into onboarding_batch_row (batch_id, row_number, input, status, updated_at) values (?, ?, ?, 'PENDING', now())`,
        [batchId, i + 1, JSON.stringify(row)],
      );
    }
  });
}
