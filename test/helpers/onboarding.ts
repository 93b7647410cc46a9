// Onboarding batch workflows started directly (bypassing the route), for tests of the workflow's own behaviour.
import { onboardingBatchWorkflowId, type OnboardPartnersInput } from '../../domain/onboarding/contract';
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
