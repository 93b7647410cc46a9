// One transfer, start to finish (ID transfer-<transferId>): validate + fee + hold, then INTERNAL posts at once,
// an external channel is submitted and its verdict awaited (signal from the channel callback); when none comes in
// time the channel is asked (inquiry) and a still pending payout recalled. Compensation: the hold is voided
// (funds available again) only on a final negative answer: rejected, recalled, or cancelled before submission.
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index';
import {
  cancelTransferUpdate,
  channelResultSignal,
  holdOutcomeUpdate,
  type ChannelResult,
  type ExecuteTransferInput,
  type HoldOutcome,
} from '../domain/transfers/contract';
import { CHANNEL_INQUIRY, CHANNEL_RECALL, COMPENSATION, DB_WRITE, EXTERNAL_CALL } from './profiles';
import { markStatus } from './status';

const act = proxyActivities<Activities>(DB_WRITE);
const channel = proxyActivities<Activities>(EXTERNAL_CALL);
/** Posting after the money left, and releasing a hold, must eventually succeed: retried without limit. */
const settle = proxyActivities<Activities>(COMPENSATION);
const inquiry = proxyActivities<Activities>(CHANNEL_INQUIRY);
const recall = proxyActivities<Activities>(CHANNEL_RECALL);

/** Patch: a confirmation timeout asks the channel (inquiry, recall) instead of releasing the hold blindly. */
export const INQUIRE_ON_TIMEOUT_PATCH = 'payout-inquiry-on-timeout';

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
  let outcome: HoldOutcome | undefined;
  let channelResult: ChannelResult | undefined;
  let cancelRequested = false;
  let finished = false;

  setHandler(holdOutcomeUpdate, async () => {
    await condition(() => outcome !== undefined);
    return outcome!;
  });
  setHandler(channelResultSignal, (result) => {
    channelResult ??= result;
  });
  setHandler(cancelTransferUpdate, async ({ actorUserId }) => {
    if (finished) throw ApplicationFailure.nonRetryable('the transfer has ended', 'TRANSFER_NOT_CANCELLABLE');
    await act.requestTransferCancel({ key: `${key}:cancel-request`, transferId, actorUserId });
    cancelRequested = true;
    await condition(() => finished);
  });

  let route: 'INTERNAL' | 'EXTERNAL';
  try {
    ({ route } = await act.holdTransferFunds({
      key: `${key}:hold`,
      workflowId: key,
      request: input.request,
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
  markStatus('PROCESSING');

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

  let final: 'COMPLETED' | 'FAILED' | 'CANCELLED';
  if (route === 'INTERNAL') {
    await settle.postTransfer({ key: `${key}:post`, transferId });
    final = 'COMPLETED';
    outcome = { ok: true, transferId };
  } else {
    outcome = { ok: true, transferId };
    final = await runExternal(
      key,
      transferId,
      input.confirmTimeoutMs,
      () => cancelRequested,
      () => channelResult,
      release,
    );
  }
  markStatus(final);
  finished = true;
  await condition(allHandlersFinished);
  return outcome;
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
 * received) is recalled. RECALLED means the bank will never pay; TOO_LATE means it paid or will, so the
 * workflow waits for the verdict (callback), asking again every `confirmTimeoutMs`.
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
      if (recalled.status === 'RECALLED') return channelResult() ?? 'RECALLED';
      tooLate = true;
      markStatus('AWAITING_CHANNEL');
    }
    await condition(() => channelResult() !== undefined, confirmTimeoutMs);
    const late = channelResult();
    if (late) return late;
  }
}
