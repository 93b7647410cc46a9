// The one start policy for workflows (from the API and from activities) and the one translator of their failures.
// Policy: the workflow ID comes from the area's contract (deterministic, so a repeated request finds the same
// workflow); a closed workflow is never run again under the same ID; nothing here runs inside an open database
// transaction (asserted), so a workflow never sees rows that are later rolled back.
import { TransactionContext } from '@mikro-orm/core';
import {
  isGrpcServiceError,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
  type Workflow,
  type WorkflowResultType,
  type WorkflowStartOptions,
} from '@temporalio/client';
import {
  ApplicationFailure,
  TemporalFailure,
  WorkflowNotFoundError,
  type SignalDefinition,
  type UpdateDefinition,
} from '@temporalio/common';
import { operationAttributes } from '../workflows/search-attributes';
import { AppError, isErrorCode } from './errors';

/** What starting a workflow needs: the client and the task queue (AppDeps and activities both have them). */
export interface WorkflowStarter {
  temporal: Client;
  taskQueue: string;
}

/** One workflow to start: its type, its ID from the area's contract, its arguments and where operators find it. */
export interface StartRequest<W extends Workflow> {
  workflowType: string;
  /** Deterministic, from the area's contract (e.g. `transferWorkflowId(id)`); never random at the call site. */
  workflowId: string;
  args: Parameters<W>;
  /** Search attributes TenantId / WorkspaceId / OperationStatus; null when the operation has no tenant. */
  searchScope: { tenantId: string; workspaceId: string | null } | null;
  /**
   * One line an operator reads in the Temporal UI's list and header (e.g. "Transfer 12.34 USD, wallet ... to
   * wallet ..."); never a secret. Default: the workflow type and ID in words.
   */
  summary?: string;
  /** More for the operator (markdown in the UI's details): what it does, where to look, what to send it. */
  details?: string;
}

/** "executeTransferWorkflow" -> "Execute transfer". */
function typeInWords(workflowType: string): string {
  const words = workflowType.replace(/Workflow$/, '').replace(/([a-z0-9])([A-Z])/g, '$1 $2');
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}

/** The summary and details every start carries (Temporal UI: the list's summary column and the header). */
export function operatorText(request: {
  workflowType: string;
  workflowId: string;
  summary?: string;
  details?: string;
  searchScope: { tenantId: string; workspaceId: string | null } | null;
}): { staticSummary: string; staticDetails: string } {
  const scope = request.searchScope
    ? `Tenant ${request.searchScope.tenantId}${request.searchScope.workspaceId ? `, workspace ${request.searchScope.workspaceId}` : ''}.`
    : 'No tenant.';
  return {
    staticSummary: (request.summary ?? `${typeInWords(request.workflowType)} ${request.workflowId}`).slice(
      0,
      400,
    ),
    staticDetails: [request.details, scope, 'Business outcome: the OperationStatus search attribute.']
      .filter(Boolean)
      .join('\n\n'),
  };
}

const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_RESOURCE_EXHAUSTED = 8;
const GRPC_FAILED_PRECONDITION = 9;
const GRPC_UNAVAILABLE = 14;

/**
 * Temporal refuses an update (also the one of an Update-with-Start joining a running workflow) while the
 * workflow's task is being retried after failures or timeouts, e.g. workers that crashed while holding it
 * ("Workflow Task in failed state", WorkflowNotReady), and while the workflow is closing (busy workflow). Both
 * pass once a worker completes the task: the caller may retry, the workflow exists and nothing was lost.
 */
function workflowNotReady(e: unknown): boolean {
  if (!isGrpcServiceError(e)) return false;
  const message = `${e.message} ${e.details ?? ''}`;
  if (e.code === GRPC_FAILED_PRECONDITION) {
    return /workflow task in failed state|not ready to handle|task is not scheduled yet/i.test(message);
  }
  return e.code === GRPC_RESOURCE_EXHAUSTED && /workflow is closing|workflow is busy/i.test(message);
}

function* causes(err: unknown): Generator<unknown> {
  let current: unknown = err;
  for (let depth = 0; current && depth < 10; depth++) {
    yield current;
    current = (current as { cause?: unknown }).cause;
  }
}

function temporalUnavailable(err: unknown): boolean {
  for (const e of causes(err)) {
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
    if (isGrpcServiceError(e) && (e.code === GRPC_UNAVAILABLE || e.code === GRPC_DEADLINE_EXCEEDED))
      return true;
    if (workflowNotReady(e)) return true;
  }
  return false;
}

/** The first ApplicationFailure in the cause chain whose type is one of our error codes, as an AppError. */
function businessRefusal(err: unknown): AppError | null {
  for (const e of causes(err)) {
    if (e instanceof ApplicationFailure && isErrorCode(e.type)) return new AppError(e.type, e.message);
    const followed =
      e instanceof TemporalFailure ||
      e instanceof WorkflowFailedError ||
      e instanceof WorkflowUpdateFailedError;
    if (!followed) return null;
  }
  return null;
}

/**
 * The one translator of a start, update, signal or result failure: a business refusal keeps its code, a
 * workflow already running (and not joined by the policy) or already gone is a CONFLICT, Temporal out of
 * reach or the workflow not ready for an update (its task being retried) is SERVICE_UNAVAILABLE; anything else is not ours to name (null: the caller rethrows, 500).
 */
export function workflowFailure(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  const refusal = businessRefusal(err);
  if (refusal) return refusal;
  if (err instanceof WorkflowExecutionAlreadyStartedError) {
    return new AppError('CONFLICT', 'the operation is already running');
  }
  if (err instanceof WorkflowNotFoundError)
    return new AppError('CONFLICT', 'the operation is no longer running');
  if (temporalUnavailable(err)) {
    return new AppError('SERVICE_UNAVAILABLE', 'the workflow service is unavailable, please retry', {
      headers: { 'Retry-After': '1' },
    });
  }
  return null;
}

function translated(err: unknown): unknown {
  return workflowFailure(err) ?? err;
}

/** Throws when called inside `em.transactional(...)`: a workflow must only ever see committed rows. */
export function assertNoOpenTransaction(what: string): void {
  if (TransactionContext.getEntityManager()?.isInTransaction()) {
    throw new Error(`${what} inside an open database transaction: commit first, then start the workflow`);
  }
}

function startOptions<W extends Workflow>(starter: WorkflowStarter, request: StartRequest<W>) {
  return {
    taskQueue: starter.taskQueue,
    workflowId: request.workflowId,
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    args: request.args,
    ...operatorText(request),
    ...(request.searchScope
      ? {
          typedSearchAttributes: operationAttributes(
            request.searchScope.tenantId,
            request.searchScope.workspaceId,
          ),
        }
      : {}),
  } as unknown as WorkflowStartOptions<W>;
}

/**
 * Starts the workflow once. A second start with the same ID (running or closed) is a no-op: `started: false`.
 * When the start fails for another reason, `onStartFailed` runs first (e.g. mark the committed rows FAILED so
 * nothing waits forever), then the translated error is thrown.
 */
export async function startWorkflow<W extends Workflow>(
  starter: WorkflowStarter,
  request: StartRequest<W>,
  options: { onStartFailed?: (err: unknown) => Promise<void> } = {},
): Promise<{ workflowId: string; started: boolean }> {
  assertNoOpenTransaction(`starting ${request.workflowId}`);
  try {
    await starter.temporal.workflow.start<W>(request.workflowType, startOptions(starter, request));
    return { workflowId: request.workflowId, started: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      return { workflowId: request.workflowId, started: false };
    }
    await options.onStartFailed?.(err);
    throw translated(err);
  }
}

/** Starts the workflow (or joins the one with the same ID) and waits for its result. */
export async function executeWorkflow<W extends Workflow>(
  starter: WorkflowStarter,
  request: StartRequest<W>,
): Promise<WorkflowResultType<W>> {
  await startWorkflow(starter, request);
  return awaitResult<W>(starter.temporal, request.workflowId);
}

/** Waits for a workflow's result; a business refusal becomes its AppError. */
export async function awaitResult<W extends Workflow>(
  temporal: Client,
  workflowId: string,
): Promise<WorkflowResultType<W>> {
  try {
    return await temporal.workflow.getHandle<W>(workflowId).result();
  } catch (err) {
    throw translated(err);
  }
}

/**
 * Update-with-Start: starts the workflow or joins the running one with the same ID, and returns the update's
 * answer. A closed workflow is never started again: its result is handed to `whenClosed` (default: CONFLICT).
 */
export async function startWithUpdate<W extends Workflow, Ret, Args extends unknown[]>(
  starter: WorkflowStarter,
  request: StartRequest<W>,
  update: UpdateDefinition<Ret, Args>,
  options: { args?: Args; whenClosed?: (result: WorkflowResultType<W>) => Ret } = {},
): Promise<Ret> {
  assertNoOpenTransaction(`starting ${request.workflowId}`);
  const startWorkflowOperation = new WithStartWorkflowOperation<W>(request.workflowType, {
    ...startOptions(starter, request),
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  try {
    return await starter.temporal.workflow.executeUpdateWithStart(update, {
      startWorkflowOperation,
      ...(options.args ? { args: options.args } : {}),
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError && options.whenClosed) {
      return options.whenClosed(await awaitResult<W>(starter.temporal, request.workflowId));
    }
    throw translated(err);
  }
}

/** Sends an update to a running workflow; a workflow already gone answers `whenGone()` (default: CONFLICT). */
export async function updateWorkflow<Ret, Args extends unknown[]>(
  temporal: Client,
  workflowId: string,
  update: UpdateDefinition<Ret, Args>,
  options: { args?: Args; whenGone?: () => Ret } = {},
): Promise<Ret> {
  assertNoOpenTransaction(`updating ${workflowId}`);
  try {
    const args = (options.args ?? []) as [];
    return await temporal.workflow.getHandle(workflowId).executeUpdate<Ret, []>(update.name, { args });
  } catch (err) {
    if (err instanceof WorkflowNotFoundError && options.whenGone) return options.whenGone();
    throw translated(err);
  }
}

/** Signals a workflow; false when it is already gone (closed and its signal moot), other failures throw. */
export async function signalWorkflow<Args extends unknown[]>(
  temporal: Client,
  workflowId: string,
  signal: SignalDefinition<Args>,
  ...args: Args
): Promise<boolean> {
  assertNoOpenTransaction(`signalling ${workflowId}`);
  try {
    await temporal.workflow.getHandle(workflowId).signal(signal, ...args);
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw translated(err);
  }
}
