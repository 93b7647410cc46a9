// Transitional: the start policy and the failure translator live in domain/workflow-start.ts. These two names stay
// only until the route refactors (issue #10) move their call sites there; new code imports domain/workflow-start.
import type { Client, Workflow, WorkflowResultType, WorkflowStartOptions } from '@temporalio/client';
import { workflowFailure } from '../domain/workflow-start';

/** The one translator under its old name. */
export const businessFailure = workflowFailure;

/** Starts a workflow and waits for its result; failures go through the one translator. */
export async function executeWorkflow<W extends Workflow>(
  client: Client,
  workflowType: string,
  options: WorkflowStartOptions<W>,
): Promise<WorkflowResultType<W>> {
  try {
    return await client.workflow.execute<W>(workflowType, options);
  } catch (err) {
    throw workflowFailure(err) ?? err;
  }
}
