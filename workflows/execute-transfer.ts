// One transfer, start to finish (ID transfer-<transferId>): validate + fee + hold; at or above the workspace's
// approval threshold it then waits PENDING_APPROVAL for a second member's decision (or TRANSFER_APPROVAL_TTL);
// then INTERNAL posts at once, an external channel is submitted and its verdict awaited (signal from the channel
// callback); when none comes in time the channel is asked (inquiry) and a still pending payout recalled.
// Compensation: the hold is voided (funds available again) only on a final negative answer: approval rejected or
// expired, rejected, recalled, or cancelled before submission.
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index';
import { decisionRefusal } from '../domain/transfers/approval';
import {
  cancelTransferUpdate,
  channelResultSignal,
  decideApprovalUpdate,
  holdOutcomeUpdate,
  type ApprovalDecision,
  type ChannelResult,
  type ExecuteTransferInput,
  type HoldOutcome,
} from '../domain/transfers/contract';
import { CHANNEL_INQUIRY, CHANNEL_RECALL, COMPENSATION, DB_WRITE, DELIVERY, EXTERNAL_CALL } from './profiles';
import { markStatus } from './status';

const act = proxyActivities<Activities>(DB_WRITE);
const channel = proxyActivities<Activities>(EXTERNAL_CALL);
/** Posting after the money left, and releasing a hold, must eventually succeed: retried without limit. */
const settle = proxyActivities<Activities>(COMPENSATION);
const inquiry = proxyActivities<Activities>(CHANNEL_INQUIRY);
const recall = proxyActivities<Activities>(CHANNEL_RECALL);
const mail = proxyActivities<Activities>(DELIVERY);
/** The same steps as local activities (run in the workflow task's worker, no activity task round trips). */
const localAct = proxyLocalActivities<Activities>(DB_WRITE);
const localSettle = proxyLocalActivities<Activities>(COMPENSATION);

/** Patch: a confirmation timeout asks the channel (inquiry, recall) instead of releasing the hold blindly. */
export const INQUIRE_ON_TIMEOUT_PATCH = 'payout-inquiry-on-timeout';
/** Patch: a transfer at or above its workspace's approval threshold waits PENDING_APPROVAL for a decision. */
export const APPROVAL_PATCH = 'transfer-four-eyes-approval';
/**
 * Patch: a wallet-to-wallet transfer without approval holds and posts in local activities, so it runs start to
 * answer in one workflow task (one status upsert); both steps stay idempotent by transfer ID, so a worker that
 * dies mid-task leaves the next worker to repeat them harmlessly.
 */
export const INTERNAL_LOCAL_PATCH = 'internal-transfer-local-activities';
/**
 * Patch: a payout this workflow recalled ends CHANNEL_TIMEOUT even when the bank's record of that recall (an
 * inquiry's "rejected: recalled by the sender", e.g. delivered by the reconciliation) reached it first.
 */
export const OWN_RECALL_PATCH = 'own-recall-ends-in-timeout';

function businessCode(err: unknown): { code: string; message: string } | null {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.nonRetryable && cause.type) {
    return { code: cause.type, message: cause.message };
  }
  return null;
}

export async function executeTransferWorkflow(input: ExecuteTransferInput): Promise<HoldOutcome> {
  const key = workflowInfo().workflowId;
  const { transferId } = input.request;
  // Decided at request time (in the input), so a replay takes the same path; histories without it never wait.
  const approval = input.approval && patched(APPROVAL_PATCH) ? input.approval : undefined;
  let outcome: HoldOutcome | undefined;
  let channelResult: ChannelResult | undefined;
  let cancelRequested = false;
  let cancelling = false;
  let finished = false;
  let awaitingDecision = false;
  let decision: ApprovalDecision | undefined;
  let decisionApplied = false;

  setHandler(holdOutcomeUpdate, async () => {
    await condition(() => outcome !== undefined);
    return outcome!;
  });
  setHandler(channelResultSignal, (result) => {
    channelResult ??= result;
  });
  setHandler(cancelTransferUpdate, async ({ actorUserId }) => {
    if (finished) throw ApplicationFailure.nonRetryable('the transfer has ended', 'TRANSFER_NOT_CANCELLABLE');
    if (decision && !decisionApplied) {
      throw ApplicationFailure.nonRetryable(
        'a decision on the transfer is being applied',
        'TRANSFER_NOT_CANCELLABLE',
      );
    }
    cancelling = true;
    try {
      await act.requestTransferCancel({ key: `${key}:cancel-request`, transferId, actorUserId });
    } finally {
      cancelling = false;
    }
    cancelRequested = true;
    await condition(() => finished);
  });
  setHandler(
    decideApprovalUpdate,
    async (d) => {
      decision ??= d;
      if (decision !== d)
        throw ApplicationFailure.nonRetryable('the transfer is already decided', 'CONFLICT');
      await condition(() => decisionApplied);
    },
    {
      validator: (d) => {
        const refusal = decisionRefusal({
          initiatorUserId: input.request.actorUserId,
          deciderUserId: d.deciderUserId,
          waiting: awaitingDecision && !decision && !cancelling && !cancelRequested,
        });
        if (refusal) throw ApplicationFailure.nonRetryable(refusal.message, refusal.code);
      },
    },
  );

  // Decided from the input (a wallet destination, no approval wait), so a replay takes the same path.
  const local = !approval && input.request.destination.type === 'WALLET' && patched(INTERNAL_LOCAL_PATCH);
  const holdStep = local ? localAct : act;

  let route: 'INTERNAL' | 'EXTERNAL';
  try {
    ({ route } = await holdStep.holdTransferFunds({
      key: `${key}:hold`,
      workflowId: key,
      request: input.request,
      ...(approval ? { approval: { threshold: approval.threshold } } : {}),
    }));
  } catch (err) {
    const refusal = businessCode(err);
    if (!refusal) throw err;
    outcome = { ok: false, ...refusal };
    markStatus('REFUSED');
    finished = true;
    await condition(allHandlersFinished);
    return outcome;
  }

  const release = (
    status: 'FAILED' | 'CANCELLED',
    failureCode: string | null,
    message: string | null,
    eventType?: string,
  ) =>
    CancellationScope.nonCancellable(() =>
      settle.releaseTransfer({
        key: `${key}:release`,
        transferId,
        status,
        failureCode,
        failureMessage: message,
        events: eventType ? [{ type: eventType, data: { reason: message } }] : [],
      }),
    );

  if (approval) {
    outcome = { ok: true, transferId };
    markStatus('PENDING_APPROVAL');
    const waited = await awaitApproval(
      key,
      transferId,
      approval.ttlMs,
      (v) => (awaitingDecision = v),
      () => ({ decision, cancelling, cancelRequested }),
    );
    if (waited !== 'APPROVED') {
      if (waited === 'CANCELLED') await release('CANCELLED', null, null);
      decisionApplied = true;
      return end(waited === 'CANCELLED' ? 'CANCELLED' : 'FAILED');
    }
  }
  // The fast path goes straight on to COMPLETED in the same workflow task: one upsert instead of two.
  if (!local) markStatus('PROCESSING');

  let final: 'COMPLETED' | 'FAILED' | 'CANCELLED';
  if (route === 'INTERNAL') {
    await (local ? localSettle : settle).postTransfer({ key: `${key}:post`, transferId });
    final = 'COMPLETED';
    outcome = { ok: true, transferId };
    decisionApplied = true;
  } else {
    outcome = { ok: true, transferId };
    decisionApplied = true;
    final = await runExternal(
      key,
      transferId,
      input.confirmTimeoutMs,
      () => cancelRequested,
      () => channelResult,
      release,
    );
  }
  return end(final);

  async function end(status: 'COMPLETED' | 'FAILED' | 'CANCELLED'): Promise<HoldOutcome> {
    markStatus(status);
    finished = true;
    await condition(allHandlersFinished);
    return outcome!;
  }
}

/**
 * The four-eyes wait: mails the approvers, then waits for a decision, a cancel or TRANSFER_APPROVAL_TTL and applies
 * it (approved: PROCESSING again; rejected or expired: hold voided, FAILED). A cancel is left to the caller.
 */
async function awaitApproval(
  key: string,
  transferId: string,
  ttlMs: number,
  setAwaiting: (waiting: boolean) => void,
  state: () => { decision?: ApprovalDecision; cancelling: boolean; cancelRequested: boolean },
): Promise<'APPROVED' | 'REJECTED' | 'EXPIRED' | 'CANCELLED'> {
  // Best effort: a mail outage never holds up the decision.
  void mail.notifyApprovers({ key: `${key}:approval-mail`, transferId }).catch(() => undefined);
  setAwaiting(true);
  let expired = false;
  const timer = new CancellationScope();
  void timer
    .run(() => sleep(ttlMs))
    .then(
      () => (expired = true),
      () => undefined,
    );
  let ending: 'DECIDED' | 'EXPIRED' | 'CANCELLED';
  for (;;) {
    await condition(() => {
      const s = state();
      return expired || s.decision !== undefined || s.cancelling || s.cancelRequested;
    });
    if (state().decision) {
      ending = 'DECIDED';
      break;
    }
    if (state().cancelling || state().cancelRequested) {
      // A cancel in flight: decisions are refused meanwhile; a cancel that failed goes back to waiting.
      await condition(() => !state().cancelling || state().cancelRequested);
      if (state().cancelRequested) {
        ending = 'CANCELLED';
        break;
      }
      continue;
    }
    ending = 'EXPIRED';
    break;
  }
  timer.cancel();
  setAwaiting(false);
  if (ending === 'CANCELLED') return 'CANCELLED';
  const decision = state().decision;
  const applied: 'APPROVED' | 'REJECTED' | 'EXPIRED' = !decision
    ? 'EXPIRED'
    : decision.approved
      ? 'APPROVED'
      : 'REJECTED';
  await CancellationScope.nonCancellable(() =>
    settle.applyTransferApproval({
      key: `${key}:approval`,
      transferId,
      ending:
        applied === 'EXPIRED'
          ? { kind: 'EXPIRED' }
          : applied === 'APPROVED'
            ? { kind: 'APPROVED', deciderUserId: decision!.deciderUserId }
            : { kind: 'REJECTED', deciderUserId: decision!.deciderUserId, reason: decision!.reason },
    }),
  );
  return applied;
}

/** Submit, await the channel's verdict (or time out), then post or release. Returns the final status. */
async function runExternal(
  key: string,
  transferId: string,
  confirmTimeoutMs: number,
  cancelRequested: () => boolean,
  channelResult: () => ChannelResult | undefined,
  release: (
    status: 'FAILED' | 'CANCELLED',
    code: string | null,
    message: string | null,
    eventType?: string,
  ) => Promise<void>,
): Promise<'COMPLETED' | 'FAILED' | 'CANCELLED'> {
  let submission: { cancelled: boolean };
  try {
    submission = cancelRequested()
      ? { cancelled: true }
      : await channel.submitToChannel({ key: `${key}:submit`, transferId });
  } catch (err) {
    const message = businessCode(err)?.message ?? 'the channel could not be reached';
    await release('FAILED', 'CHANNEL_UNAVAILABLE', message, 'CHANNEL_UNAVAILABLE');
    return 'FAILED';
  }
  if (submission.cancelled) {
    await release('CANCELLED', null, null);
    return 'CANCELLED';
  }
  const arrived = await condition(() => channelResult() !== undefined, confirmTimeoutMs);
  let result = channelResult();
  if (!arrived || !result) {
    if (!patched(INQUIRE_ON_TIMEOUT_PATCH)) {
      await release('FAILED', 'CHANNEL_TIMEOUT', 'the channel did not confirm in time', 'CHANNEL_TIMEOUT');
      return 'FAILED';
    }
    const answer = await askChannel(key, transferId, confirmTimeoutMs, channelResult);
    if (answer === 'RECALLED') {
      await release('FAILED', 'CHANNEL_TIMEOUT', 'the channel did not confirm in time', 'CHANNEL_TIMEOUT');
      return 'FAILED';
    }
    result = answer;
  }
  if (result.status === 'REJECTED') {
    await release(
      'FAILED',
      'CHANNEL_REJECTED',
      result.reason ?? 'the bank rejected the payout',
      'CHANNEL_REJECTED',
    );
    return 'FAILED';
  }
  await settle.postTransfer({
    key: `${key}:post`,
    transferId,
    events: [{ type: 'CHANNEL_CONFIRMED', data: { bankReference: result.bankReference } }],
  });
  return 'COMPLETED';
}

/**
 * No verdict in time: ask the channel. CONFIRMED or REJECTED is the verdict; PENDING (or UNKNOWN: never
 * received) is recalled. RECALLED means the bank will never pay; TOO_LATE means it has decided (or will pay), so
 * the workflow waits for the verdict (callback), asking again every `confirmTimeoutMs`.
 */
async function askChannel(
  key: string,
  transferId: string,
  confirmTimeoutMs: number,
  channelResult: () => ChannelResult | undefined,
): Promise<ChannelResult | 'RECALLED'> {
  let tooLate = false;
  for (let round = 1; ; round++) {
    const answer = await inquiry.inquireChannel({ key: `${key}:inquiry:${round}`, transferId });
    const signalled = channelResult();
    if (signalled) return signalled;
    if (answer.status === 'CONFIRMED' || answer.status === 'REJECTED') {
      return { status: answer.status, bankReference: answer.bankReference, reason: answer.reason };
    }
    if (!tooLate) {
      const recalled = await recall.recallPayout({ key: `${key}:recall`, transferId });
      if (recalled.status === 'RECALLED') {
        // The bank will never pay: a verdict seen meanwhile can only be the bank's record of this recall.
        return patched(OWN_RECALL_PATCH) ? 'RECALLED' : (channelResult() ?? 'RECALLED');
      }
      tooLate = true;
      markStatus('AWAITING_CHANNEL');
    }
    await condition(() => channelResult() !== undefined, confirmTimeoutMs);
    const late = channelResult();
    if (late) return late;
  }
}
