// Starting and awaiting workflows from the API; a workflow's business refusal becomes the same AppError code.
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  type Client,
  type Workflow,
  type WorkflowStartOptions,
} from '@temporalio/client';
import { ApplicationFailure, TemporalFailure } from '@temporalio/common';
import { AppError, isErrorCode } from '../domain/errors';

/** The first ApplicationFailure in a failure's cause chain whose type is one of our error codes. */
export function businessFailure(err: unknown): AppError | null {
  let current: unknown = err;
  for (let depth = 0; current && depth < 10; depth++) {
    if (current instanceof ApplicationFailure && isErrorCode(current.type)) {
      return new AppError(current.type, current.message);
    }
    current =
      current instanceof TemporalFailure || current instanceof WorkflowFailedError
        ? current.cause
        : undefined;
  }
  return null;
}

/** Starts a workflow and waits for its result; business refusals surface as AppErrors. */
export async function executeWorkflow<W extends Workflow>(
  client: Client,
  workflowType: string,
  options: WorkflowStartOptions<W>,
): Promise<Awaited<ReturnType<W>>> {
  try {
    return (await client.workflow.execute<W>(workflowType, options)) as Awaited<ReturnType<W>>;
  } catch (err) {
    throw businessFailure(err) ?? err;
  }
}

export function isAlreadyStarted(err: unknown): boolean {
  return err instanceof WorkflowExecutionAlreadyStartedError;
}
