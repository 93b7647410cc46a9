// Command: start a claimed transfer's workflow (or join the running one) and wait for its hold outcome
// (Update-with-Start, the one start policy). A closed workflow is never started again: its result is the outcome.
// The committed hold is an answer too: the transfer row the workflow's hold activity writes is looked for while
// the update is pending, so a request is answered as soon as the funds are held even when the workflow's next
// task is delayed (a worker crashed holding it). While Temporal cannot take the update at all (the workflow's
// task is being retried after failures, or Temporal is briefly out of reach), the request keeps trying until
// `waitMs`, then answers SERVICE_UNAVAILABLE (Retry-After); the client's retry with the same Idempotency-Key finds
// the same transfer. Never a second transfer, never an endless error.
import type { EntityManager } from '@mikro-orm/postgresql';
import { findTransfer } from '../../db/store/transfers';
import type { executeTransferWorkflow } from '../../workflows/execute-transfer';
import { AppError } from '../errors';
import { startWithUpdate, type WorkflowStarter } from '../workflow-start';
import {
  holdOutcomeUpdate,
  transferSummary,
  transferWorkflowId,
  type ExecuteTransferInput,
  type HoldOutcome,
  type TransferRequest,
} from './contract';

/** How long one request keeps asking for the hold while the workflow cannot take the update. */
export const HOLD_WAIT_MS = 10_000;
/** The update answers within milliseconds when workers are healthy; only then is the table asked too. */
const LOOK_FOR_HOLD_AFTER_MS = 1_000;
const RETRY_EVERY_MS = 500;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface StartTransferInput {
  request: TransferRequest;
  confirmTimeoutMs: number;
  /** Set when the amount reached the workspace's approval threshold (see ExecuteTransferInput). */
  approval?: ExecuteTransferInput['approval'];
  waitMs?: number;
}

export async function startTransfer(
  starter: WorkflowStarter,
  em: EntityManager,
  input: StartTransferInput,
): Promise<HoldOutcome> {
  const { request } = input;
  const deadline = Date.now() + (input.waitMs ?? HOLD_WAIT_MS);
  for (;;) {
    try {
      return await updateOrHold(starter, em, input);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'SERVICE_UNAVAILABLE') throw err;
      if (await isHeld(em, request)) return { ok: true, transferId: request.transferId };
      if (Date.now() + RETRY_EVERY_MS > deadline) throw err;
      await sleep(RETRY_EVERY_MS);
    }
  }
}

/**
 * Whether the hold is committed. With `asTheWorkflowWould`, an INTERNAL transfer counts only once posted (the
 * workflow answers it COMPLETED, posting right after the hold); an external one as soon as it is held.
 */
async function isHeld(
  em: EntityManager,
  request: TransferRequest,
  asTheWorkflowWould = false,
): Promise<boolean> {
  const row = await findTransfer(em.fork(), request.transferId, { workspaceId: request.workspaceId });
  if (!row) return false;
  return !asTheWorkflowWould || request.destination.type === 'CHANNEL' || row.status !== 'PROCESSING';
}

/** The update's answer or the committed hold, whichever comes first; the other wait is then abandoned. */
async function updateOrHold(
  starter: WorkflowStarter,
  em: EntityManager,
  input: StartTransferInput,
): Promise<HoldOutcome> {
  const { request } = input;
  const abort = new AbortController();
  const update = starter.temporal.connection.withAbortSignal(abort.signal, () =>
    startWithUpdate<typeof executeTransferWorkflow, HoldOutcome, []>(
      starter,
      {
        workflowType: 'executeTransferWorkflow',
        workflowId: transferWorkflowId(request.transferId),
        args: [
          {
            request,
            confirmTimeoutMs: input.confirmTimeoutMs,
            ...(input.approval ? { approval: input.approval } : {}),
          },
        ],
        searchScope: { tenantId: request.tenantId, workspaceId: request.workspaceId },
        summary: transferSummary(request),
        details: `Transfer ${request.transferId}${request.reference ? `, reference ${request.reference}` : ''}. A stuck external payout: see docs/operations.md.`,
      },
      holdOutcomeUpdate,
      { whenClosed: (outcome) => outcome },
    ),
  );
  const held = (async (): Promise<HoldOutcome> => {
    await sleep(LOOK_FOR_HOLD_AFTER_MS);
    while (!abort.signal.aborted) {
      if (await isHeld(em, request, true)) return { ok: true, transferId: request.transferId };
      await sleep(RETRY_EVERY_MS);
    }
    return new Promise<HoldOutcome>(() => undefined); // the update answered: this wait never does
  })();
  try {
    return await Promise.race([update, held]);
  } finally {
    abort.abort();
    update.catch(() => undefined);
    held.catch(() => undefined);
  }
}
