// The workspace-owner provisioning building blocks shared by the partner and merchant workflows (and any saga
// whose API waits for its first row): the "recorded" update gate, the saga runner with its compensations, and
// the admin's activation invitation step (row, child invitation workflow, and its undo). Each workflow passes
// its own activities, so its commands and activity names stay as its running histories have them.
import {
  CancellationScope,
  ParentClosePolicy,
  condition,
  getExternalWorkflowHandle,
  setHandler,
  startChild,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { invitationWorkflowId } from '../domain/identity/invitation-contract';
import type { ActivationInvitationInput } from '../domain/tenancy/contract';
import { invitationSettledSignal, invitationWorkflow } from './invitation';
import { operationAttributes } from './search-attributes';

/**
 * Answers `update` once the step passed to the returned function is done, or fails it with the step's error: the
 * API starts the workflow with this update (Update-with-Start), so the workflow writes its own first row.
 */
export function recordedGate(update: UpdateDefinition<void, []>): <T>(step: Promise<T>) => Promise<T> {
  let recorded: { error?: unknown } | undefined;
  setHandler(update, async () => {
    await condition(() => recorded !== undefined);
    if (recorded?.error) throw recorded.error;
  });
  return (step) =>
    step.then(
      (value) => {
        recorded = {};
        return value;
      },
      (error: unknown) => {
        recorded = { error };
        throw error;
      },
    );
}

/** A saga step: its undo (if any) is registered before it runs, so a step that fails half-way is undone too. */
export interface SagaStep {
  undo?: () => Promise<void>;
  run: () => Promise<unknown>;
}

/**
 * Runs the steps in order. On a failure: `failing` (e.g. the status attribute), then, outside cancellation, the
 * registered undos latest first and `settle` with the error; then the error is thrown on.
 */
export async function runSaga(
  steps: readonly SagaStep[],
  onFailure: { failing?: () => void; settle: (err: unknown) => Promise<void> },
): Promise<void> {
  const undos: (() => Promise<void>)[] = [];
  try {
    for (const step of steps) {
      if (step.undo) undos.unshift(step.undo);
      await step.run();
    }
  } catch (err) {
    onFailure.failing?.();
    await CancellationScope.nonCancellable(async () => {
      for (const undo of undos) await undo();
      await onFailure.settle(err);
    });
    throw err;
  }
}

export type AdminInvitation = ActivationInvitationInput & { key: string };

/**
 * The admin's activation invitation: `create` writes the row, then the invitation workflow (a child that outlives
 * the saga) mails it. Undo: `revoke` the row, and tell the invitation workflow if it was started.
 */
export function invitationStep(
  inv: AdminInvitation,
  acts: {
    create: (input: AdminInvitation) => Promise<void>;
    revoke: (input: { key: string; invitationId: string }) => Promise<void>;
  },
): SagaStep {
  const { key, invitationId, tenantId, workspaceId, ttlMs } = inv;
  let started = false;
  return {
    undo: async () => {
      await acts.revoke({ key: `${key}:revoke-invitation`, invitationId });
      if (!started) return;
      await getExternalWorkflowHandle(invitationWorkflowId(invitationId)).signal(invitationSettledSignal, {
        status: 'REVOKED',
      });
    },
    run: async () => {
      await acts.create({ ...inv, key: `${key}:invitation` });
      await startChild(invitationWorkflow, {
        workflowId: invitationWorkflowId(invitationId),
        args: [{ invitationId, tenantId, workspaceId, ttlMs }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        typedSearchAttributes: operationAttributes(tenantId, workspaceId),
      });
      started = true;
    },
  };
}
