// Command: start a claimed transfer's workflow (or join the running one) and wait for its hold outcome
// (Update-with-Start, the one start policy). A closed workflow is never started again: its result is the outcome.
// While Temporal cannot take the update (the workflow's task is being retried after workers crashed holding it,
// or Temporal is briefly out of reach), the committed hold is the answer: the transfer row the workflow's hold
// activity writes is looked for until `waitMs`; then SERVICE_UNAVAILABLE (Retry-After), and the client's retry
// with the same Idempotency-Key finds the same transfer. Never a second transfer, never an endless error.
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
const RETRY_EVERY_MS = 500;

export async function startTransfer(
  starter: WorkflowStarter,
  em: EntityManager,
  input: {
    request: TransferRequest;
    confirmTimeoutMs: number;
    /** Set when the amount reached the workspace's approval threshold (see ExecuteTransferInput). */
    approval?: ExecuteTransferInput['approval'];
    waitMs?: number;
  },
): Promise<HoldOutcome> {
  const { request } = input;
  const deadline = Date.now() + (input.waitMs ?? HOLD_WAIT_MS);
  for (;;) {
    try {
      return await startWithUpdate<typeof executeTransferWorkflow, HoldOutcome, []>(
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
      );
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'SERVICE_UNAVAILABLE') throw err;
      const held = await findTransfer(em, request.transferId, { workspaceId: request.workspaceId });
      if (held) return { ok: true, transferId: request.transferId };
      if (Date.now() + RETRY_EVERY_MS > deadline) throw err;
      await new Promise((r) => setTimeout(r, RETRY_EVERY_MS));
    }
  }
}
