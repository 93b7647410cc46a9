// Starting and signalling the invitation and password-reset workflows (through domain/workflow-start.ts).
// A workflow is started before its rows are committed, never inside an open transaction: if the start fails
// nothing is written; if the rows are then not committed the workflow is terminated here, and if the API dies
// in between, the workflow's first activity finds no row and the workflow ends as GONE.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import {
  invitationSettledSignal,
  invitationWorkflowId,
  resendInvitationUpdate,
  type InvitationInput,
  type InvitationMailOutcome,
  type InvitationSettlement,
} from '../domain/identity/invitation-contract';
import {
  passwordResetEndedSignal,
  passwordResetWorkflowId,
  type PasswordResetEnd,
  type PasswordResetInput,
} from '../domain/identity/password-reset-contract';
import { signalWorkflow, startWorkflow, updateWorkflow } from '../domain/workflow-start';
import type { AppDeps } from './context';

export async function startInvitationWorkflow(deps: AppDeps, input: InvitationInput): Promise<void> {
  await startWorkflow(deps, {
    workflowType: 'invitationWorkflow',
    workflowId: invitationWorkflowId(input.invitationId),
    args: [input],
    searchScope: { tenantId: input.tenantId, workspaceId: input.workspaceId },
    summary: `Invitation ${input.invitationId}`,
    details: 'Mails the invitation, waits for accept, decline, revoke, resend or expiry.',
  });
}

export async function startPasswordResetWorkflow(
  deps: AppDeps,
  input: PasswordResetInput,
  searchScope: { tenantId: string; workspaceId: string | null } | null,
): Promise<void> {
  await startWorkflow(deps, {
    workflowType: 'passwordResetWorkflow',
    workflowId: passwordResetWorkflowId(input.resetId),
    args: [input],
    searchScope,
    summary: `Password reset ${input.resetId}`,
  });
}

/**
 * Runs `commit` (the command writing the workflow's rows) after the workflow was started; when it fails, the
 * workflow is terminated so it does not wait for rows that will never exist, and the failure is rethrown.
 */
export async function commitOrAbandon<T>(
  deps: AppDeps,
  workflowId: string,
  commit: () => Promise<T>,
): Promise<T> {
  try {
    return await commit();
  } catch (err) {
    await deps.temporal.workflow
      .getHandle(workflowId)
      .terminate('its rows were not committed')
      .catch((terminateErr: unknown) =>
        deps.logger.warn({ err: terminateErr, workflowId }, 'not terminated; it ends by itself as GONE'),
      );
    throw err;
  }
}

/** A signal after a committed change: a workflow already gone is fine, and a lost one is only logged (the
 * workflow's own timer ends it). */
async function signalAfterCommit(deps: AppDeps, workflowId: string, send: () => Promise<boolean>) {
  await send().catch((err: unknown) =>
    deps.logger.warn({ err, workflowId }, 'could not signal the workflow'),
  );
}

export function signalInvitationSettled(deps: AppDeps, invitationId: string, status: InvitationSettlement) {
  const workflowId = invitationWorkflowId(invitationId);
  return signalAfterCommit(deps, workflowId, () =>
    signalWorkflow(deps.temporal, workflowId, invitationSettledSignal, { status }),
  );
}

export function signalPasswordResetEnded(deps: AppDeps, resetId: string, status: PasswordResetEnd) {
  const workflowId = passwordResetWorkflowId(resetId);
  return signalAfterCommit(deps, workflowId, () =>
    signalWorkflow(deps.temporal, workflowId, passwordResetEndedSignal, { status }),
  );
}

/** Asks the invitation's workflow for a fresh link; 'NOT_PENDING' when it has settled or is gone. */
export async function resendInvitation(deps: AppDeps, invitationId: string): Promise<InvitationMailOutcome> {
  try {
    return await updateWorkflow(deps.temporal, invitationWorkflowId(invitationId), resendInvitationUpdate, {
      whenGone: () => 'NOT_PENDING',
    });
  } catch (err) {
    // The workflow's validator refuses a resend once the invitation has settled.
    if (err instanceof WorkflowUpdateFailedError) return 'NOT_PENDING';
    throw err;
  }
}
