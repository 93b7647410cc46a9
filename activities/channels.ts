// Payment channels behind one adapter interface (submit, status inquiry, recall); SANDBOX_BANK simulates an
// external bank that keeps its own payout records, answers inquiries, honours a recall only before it paid, and
// reports its verdict through the same signed HTTP callback a real bank would call (sometimes lost, late or twice).
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import {
  CALLBACK_SIGNATURE_HEADER,
  SANDBOX_BANK_CALLBACK_PATH,
  sandboxOutcomeFor,
  signCallback,
} from '../domain/channels';
import type { Beneficiary } from '../domain/transfers';
import type { PayoutInquiry, PayoutVerdict, RecallStatus } from '../domain/payouts/contract';
import { recordChannelVerdict } from '../domain/payouts/record-verdict';
import { delayedCallbackMs, pickCallbackFault, type CallbackFault } from '../domain/payouts/rules';
import { acceptBankPayout, countBankCallback, decideBankPayout, findBankPayout } from '../db/store/payouts';
import {
  findChannelProduct,
  findTransfer,
  markSubmitted,
  setExternalReference,
  recordTransferEvents,
  type TransferRow,
} from '../db/store/transfers';
import { inTransaction, type ActivityDeps } from './deps';

export interface ChannelSubmission {
  transferId: string;
  tenantId: string;
  amount: bigint;
  currency: string;
  beneficiary: Beneficiary;
  /** The task queue the caller's worker serves (simulators schedule their own work there). */
  taskQueue: string;
}

/** A payment rail: accepts a payout idempotently (by transfer ID), answers inquiries, takes recalls. */
export interface ChannelAdapter {
  submit(submission: ChannelSubmission): Promise<{ externalReference: string }>;
  inquire(transferId: string): Promise<PayoutInquiry>;
  /** Asks the bank not to pay; for a payout it never received it records the recall, so it is refused later. */
  recall(submission: ChannelSubmission): Promise<RecallStatus>;
}

export interface SandboxBankInput {
  transferId: string;
  outcome: 'CONFIRMED' | 'REJECTED' | 'NEVER';
  delayMs: number;
}

/** What the simulated bank decided for one payout, and what happens to its callback. */
export interface SandboxSettlement {
  verdict: PayoutVerdict | null;
  fault: CallbackFault | null;
  extraDelayMs: number;
}

const bankReferenceOf = (transferId: string) => `SBX-${transferId.slice(0, 8).toUpperCase()}`;
const REJECTION_REASON = 'the beneficiary account was rejected by the bank';

/** The simulated bank: its own records in sandbox_bank_payout, its processing in `sandbox-bank-<id>` workflows. */
export function sandboxBankAdapter(deps: ActivityDeps): ChannelAdapter {
  const em = () => deps.orm.em.fork();
  return {
    async submit(s) {
      if (!deps.temporal) throw new Error('the sandbox bank needs a Temporal client');
      const outcome = sandboxOutcomeFor(s.beneficiary.accountNumber);
      const payout = await acceptBankPayout(em(), {
        transferId: s.transferId,
        tenantId: s.tenantId,
        amount: s.amount,
        currency: s.currency,
        accountNumber: s.beneficiary.accountNumber,
        plannedOutcome: outcome,
        bankReference: bankReferenceOf(s.transferId),
      });
      if (payout.status === 'PENDING') {
        const input: SandboxBankInput = {
          transferId: s.transferId,
          outcome,
          delayMs: deps.config.SANDBOX_BANK_DELAY_MS,
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
      }
      return { externalReference: payout.bankReference };
    },

    async inquire(transferId) {
      const payout = await findBankPayout(em(), transferId);
      if (!payout) return { status: 'UNKNOWN', bankReference: null, reason: null };
      if (payout.status === 'CONFIRMED' || payout.status === 'REJECTED') {
        const reason = payout.status === 'REJECTED' ? REJECTION_REASON : null;
        return { status: payout.status, bankReference: payout.bankReference, reason };
      }
      // A recalled payout is one the bank will never pay: the same final negative answer as a rejection.
      if (payout.status === 'RECALLED') {
        return { status: 'REJECTED', bankReference: payout.bankReference, reason: 'recalled by the sender' };
      }
      return { status: 'PENDING', bankReference: payout.bankReference, reason: null };
    },

    async recall(s) {
      return em().transactional(async (tx) => {
        await acceptBankPayout(tx, {
          transferId: s.transferId,
          tenantId: s.tenantId,
          amount: s.amount,
          currency: s.currency,
          accountNumber: s.beneficiary.accountNumber,
          plannedOutcome: 'NEVER',
          bankReference: bankReferenceOf(s.transferId),
          status: 'RECALLED',
        });
        const payout = (await findBankPayout(tx, s.transferId, true))!;
        // Already decided (paid or rejected): the bank's verdict stands and reaches the workflow by callback
        // or its next inquiry; a recall never overwrites it.
        if (payout.status === 'CONFIRMED' || payout.status === 'REJECTED') return 'TOO_LATE';
        await decideBankPayout(tx, s.transferId, 'RECALLED');
        return 'RECALLED';
      });
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

/** The submitted transfer's adapter and what the channel was (or would be) given. */
async function channelOf(
  deps: ActivityDeps,
  transfer: TransferRow,
): Promise<{ adapter: ChannelAdapter; submission: ChannelSubmission }> {
  const product = await findChannelProduct(
    deps.orm.em.fork(),
    transfer.tenantId,
    transfer.channelProductCode,
  );
  const adapter = product && adapterFor(deps, product);
  if (!adapter) throw ApplicationFailure.nonRetryable('the channel has no adapter', 'CHANNEL_UNAVAILABLE');
  const destination = transfer.destination as { beneficiary: Beneficiary };
  return {
    adapter,
    submission: {
      transferId: transfer.id,
      tenantId: transfer.tenantId,
      amount: transfer.amount,
      currency: transfer.currency,
      beneficiary: destination.beneficiary,
      taskQueue: Context.current().info.taskQueue,
    },
  };
}

async function transferOrFail(deps: ActivityDeps, transferId: string): Promise<TransferRow> {
  const transfer = await findTransfer(deps.orm.em.fork(), transferId);
  if (!transfer) throw ApplicationFailure.nonRetryable('the transfer does not exist', 'NOT_FOUND');
  return transfer;
}

export function channelActivities(deps: ActivityDeps) {
  return {
    /**
     * Submits a held transfer to its channel unless a cancel was requested first (decided under the transfer's
     * row lock). Marks it submitted before calling the channel, whose submit is idempotent by transfer ID.
     * Nothing to undo: a submitted payout is settled by the channel's verdict, an inquiry or a recall.
     */
    async submitToChannel(input: { key: string; transferId: string }): Promise<{ cancelled: boolean }> {
      const transfer = await inTransaction(deps, async (em) => {
        const t = await findTransfer(em, input.transferId, {}, true);
        if (!t) throw ApplicationFailure.nonRetryable('the transfer does not exist', 'NOT_FOUND');
        if (t.cancelRequestedAt) return null;
        if (!t.submittedAt) {
          await markSubmitted(em, t.id);
          await recordTransferEvents(em, t.id, [
            { type: 'SUBMITTED', data: { channel: t.channelProductCode } },
          ]);
        }
        return t;
      });
      if (!transfer) return { cancelled: true };
      const { adapter, submission } = await channelOf(deps, transfer);
      const { externalReference } = await adapter.submit(submission);
      const em = deps.orm.em.fork();
      await setExternalReference(em, transfer.id, externalReference);
      await recordTransferEvents(em, transfer.id, [
        { type: 'CHANNEL_ACCEPTED', data: { externalReference } },
      ]);
      return { cancelled: false };
    },

    /**
     * Asks the channel what became of a payout (read-only at the channel); a verdict it reports is stored like
     * a callback's. Nothing to undo.
     */
    async inquireChannel(input: { key: string; transferId: string }): Promise<PayoutInquiry> {
      const transfer = await transferOrFail(deps, input.transferId);
      const { adapter } = await channelOf(deps, transfer);
      const answer = await adapter.inquire(transfer.id);
      if (answer.status === 'CONFIRMED' || answer.status === 'REJECTED') {
        await recordChannelVerdict(deps.orm.em.fork(), {
          transferId: transfer.id,
          verdict: answer.status,
          source: 'INQUIRY',
          bankReference: answer.bankReference,
          reason: answer.reason,
        });
      }
      await recordTransferEvents(deps.orm.em.fork(), transfer.id, [
        { type: 'CHANNEL_INQUIRED', data: { status: answer.status } },
      ]);
      return answer;
    },

    /**
     * Recalls a payout at its channel (idempotent by transfer ID): RECALLED means the bank will never pay it,
     * TOO_LATE that it already did. Nothing to undo: a recalled payout is final.
     */
    async recallPayout(input: { key: string; transferId: string }): Promise<{ status: RecallStatus }> {
      const transfer = await transferOrFail(deps, input.transferId);
      const { adapter, submission } = await channelOf(deps, transfer);
      const status = await adapter.recall(submission);
      await recordTransferEvents(deps.orm.em.fork(), transfer.id, [
        { type: status === 'RECALLED' ? 'CHANNEL_RECALLED' : 'CHANNEL_RECALL_TOO_LATE' },
      ]);
      return { status };
    },

    /**
     * The simulated bank decides a payout it holds (once: a recalled or NEVER payout stays unpaid) and fixes the
     * fault its callback will suffer (SANDBOX_BANK_CALLBACK_FAULT_RATE). Idempotent: a retry reads the decision.
     */
    async settleSandboxBankPayout(input: { key: string; transferId: string }): Promise<SandboxSettlement> {
      return inTransaction(deps, async (em) => {
        const payout = await findBankPayout(em, input.transferId, true);
        if (!payout) return { verdict: null, fault: null, extraDelayMs: 0 };
        if (payout.status === 'PENDING' && payout.plannedOutcome !== 'NEVER') {
          const fault = pickCallbackFault(deps.config.SANDBOX_BANK_CALLBACK_FAULT_RATE, Math.random);
          await decideBankPayout(em, payout.transferId, payout.plannedOutcome, fault);
          payout.status = payout.plannedOutcome;
          payout.callbackFault = fault;
        }
        if (payout.status !== 'CONFIRMED' && payout.status !== 'REJECTED') {
          return { verdict: null, fault: null, extraDelayMs: 0 };
        }
        const extraDelayMs =
          payout.callbackFault === 'DELAYED'
            ? delayedCallbackMs(deps.config.CHANNEL_CONFIRM_TIMEOUT_MS, Math.random)
            : 0;
        return { verdict: payout.status, fault: payout.callbackFault, extraDelayMs };
      });
    },

    /**
     * The simulated bank's side: POSTs its signed verdict (from its own records) to the API's channel callback
     * route, exactly as an external bank would; a recalled payout is never reported paid. Retried until the API
     * acknowledges it.
     */
    async deliverSandboxBankCallback(input: {
      key: string;
      transferId: string;
      status: PayoutVerdict;
      reason: string | null;
    }): Promise<void> {
      const payout = await findBankPayout(deps.orm.em.fork(), input.transferId);
      if (payout?.status === 'RECALLED') return;
      if (payout?.status === 'PENDING')
        await decideBankPayout(deps.orm.em.fork(), payout.transferId, input.status);
      const status =
        payout?.status === 'CONFIRMED' || payout?.status === 'REJECTED' ? payout.status : input.status;
      const body = JSON.stringify({
        transferId: input.transferId,
        status,
        bankReference: bankReferenceOf(input.transferId),
        reason: status === 'REJECTED' ? (input.reason ?? REJECTION_REASON) : null,
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
      if (payout) await countBankCallback(deps.orm.em.fork(), payout.transferId);
    },
  };
}
