// Payment channels behind one adapter interface; SANDBOX_BANK simulates an external bank that confirms or
// rejects asynchronously through the same signed HTTP callback a real bank would call.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import {
  CALLBACK_SIGNATURE_HEADER,
  SANDBOX_BANK_CALLBACK_PATH,
  sandboxOutcomeFor,
  signCallback,
} from '../domain/channels';
import type { Beneficiary } from '../domain/ledger';
import { findChannelProduct, findTransfer, recordTransferEvents } from '../db/store/transfers';
import { inTransaction, type ActivityDeps } from './deps';

export interface ChannelSubmission {
  transferId: string;
  amount: bigint;
  currency: string;
  beneficiary: Beneficiary;
  /** The task queue the caller's worker serves (simulators schedule their own work there). */
  taskQueue: string;
}

/** A payment rail: accepts a payout idempotently (by transfer ID); its confirmation arrives by callback. */
export interface ChannelAdapter {
  submit(submission: ChannelSubmission): Promise<{ externalReference: string }>;
}

export interface SandboxBankInput {
  transferId: string;
  outcome: 'CONFIRMED' | 'REJECTED' | 'NEVER';
  delayMs: number;
}

/** How long the simulated bank takes before it calls back. */
export const SANDBOX_BANK_DELAY_MS = 1500;

/** The simulated bank: each accepted payout becomes a `sandbox-bank-<transferId>` workflow (idempotent). */
export function sandboxBankAdapter(deps: ActivityDeps): ChannelAdapter {
  return {
    async submit(s) {
      if (!deps.temporal) throw new Error('the sandbox bank needs a Temporal client');
      const input: SandboxBankInput = {
        transferId: s.transferId,
        outcome: sandboxOutcomeFor(s.beneficiary.accountNumber),
        delayMs: SANDBOX_BANK_DELAY_MS,
      };
      try {
        await deps.temporal.workflow.start('simulateSandboxBankWorkflow', {
          taskQueue: s.taskQueue,
          workflowId: `sandbox-bank-${s.transferId}`,
          args: [input],
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
      return { externalReference: `SBX-${s.transferId.slice(0, 8).toUpperCase()}` };
    },
  };
}

/** The adapter of a channel product: SANDBOX_BANK and every BANK_PAYOUT product use the simulated bank. */
export function adapterFor(
  deps: ActivityDeps,
  product: { code: string; type: string },
): ChannelAdapter | null {
  if (product.code === 'SANDBOX_BANK' || product.type === 'BANK_PAYOUT') return sandboxBankAdapter(deps);
  return null;
}

export function channelActivities(deps: ActivityDeps) {
  return {
    /**
     * Submits a held transfer to its channel unless a cancel was requested first (decided under the transfer's
     * row lock). Marks it submitted before calling the channel, whose submit is idempotent by transfer ID.
     * Nothing to undo: a submitted transfer is settled by the channel's callback or its timeout.
     */
    async submitToChannel(input: { key: string; transferId: string }): Promise<{ cancelled: boolean }> {
      const transfer = await inTransaction(deps, async (em) => {
        const t = await findTransfer(em, input.transferId, {}, true);
        if (!t) throw ApplicationFailure.nonRetryable('the transfer does not exist', 'NOT_FOUND');
        if (t.cancelRequestedAt) return null;
        if (!t.submittedAt) {
          await em.execute('update transfer set submitted_at = now(), updated_at = now() where id = ?', [
            t.id,
          ]);
          await recordTransferEvents(em, t.id, [
            { type: 'SUBMITTED', data: { channel: t.channelProductCode } },
          ]);
        }
        return t;
      });
      if (!transfer) return { cancelled: true };
      const em = deps.orm.em.fork();
      const product = await findChannelProduct(em, transfer.tenantId, transfer.channelProductCode);
      const adapter = product && adapterFor(deps, product);
      if (!adapter)
        throw ApplicationFailure.nonRetryable('the channel has no adapter', 'CHANNEL_UNAVAILABLE');
      const destination = transfer.destination as { beneficiary: Beneficiary };
      const { externalReference } = await adapter.submit({
        transferId: transfer.id,
        amount: transfer.amount,
        currency: transfer.currency,
        beneficiary: destination.beneficiary,
        taskQueue: Context.current().info.taskQueue,
      });
      await em.execute('update transfer set external_reference = ? where id = ?', [
        externalReference,
        transfer.id,
      ]);
      await recordTransferEvents(em, transfer.id, [
        { type: 'CHANNEL_ACCEPTED', data: { externalReference } },
      ]);
      return { cancelled: false };
    },

    /**
     * The simulated bank's side: POSTs its signed result to the API's channel callback route, exactly as an
     * external bank would. Retried until the API acknowledges it.
     */
    async deliverSandboxBankCallback(input: {
      key: string;
      transferId: string;
      status: 'CONFIRMED' | 'REJECTED';
      reason: string | null;
    }): Promise<void> {
      const body = JSON.stringify({
        transferId: input.transferId,
        status: input.status,
        bankReference: `SBX-${input.transferId.slice(0, 8).toUpperCase()}`,
        reason: input.reason,
      });
      const url = new URL(SANDBOX_BANK_CALLBACK_PATH, deps.config.PUBLIC_API_URL);
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [CALLBACK_SIGNATURE_HEADER]: signCallback(
            deps.config.CHANNEL_CALLBACK_SECRET,
            body,
            Math.floor(Date.now() / 1000),
          ),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new Error(`the API answered the bank callback with ${res.status}`);
    },
  };
}
