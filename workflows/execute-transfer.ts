// One transfer, start to finish (ID transfer-<transferId>): validate + fee + hold, then INTERNAL posts at once,
// an external channel is submitted and its confirmation awaited (signal from the channel callback, with a
// timeout). Compensation: the hold is voided (funds available again) on rejection, timeout or cancel.
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  defineSignal,
  defineUpdate,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index';
import type { TransferRequest } from '../domain/ledger';
import { COMPENSATION, DB_WRITE, EXTERNAL_CALL } from './profiles';
import { markStatus } from './status';

export interface ExecuteTransferInput {
  request: TransferRequest;
  /** How long to wait for an external channel's confirmation (CHANNEL_CONFIRM_TIMEOUT). */
  confirmTimeoutMs: number;
}

/** The answer the API gives the client once funds are held (or the refusal, with nothing held). */
export type HoldOutcome = { ok: true; transferId: string } | { ok: false; code: string; message: string };

export interface ChannelResult {
  status: 'CONFIRMED' | 'REJECTED';
  bankReference: string | null;
  reason: string | null;
}

/** Completes once the hold is decided: INTERNAL after posting, external right after the hold. */
export const holdOutcomeUpdate = defineUpdate<HoldOutcome>('holdOutcome');
/** Cancels the transfer if it has not been submitted to a channel; resolves once the hold is released. */
export const cancelTransferUpdate = defineUpdate<void, [{ actorUserId: string | null }]>('cancelTransfer');
/** The channel's confirmation or rejection, delivered by the channel callback route. */
export const channelResultSignal = defineSignal<[ChannelResult]>('channelResult');

const act = proxyActivities<Activities>(DB_WRITE);
const channel = proxyActivities<Activities>(EXTERNAL_CALL);
/** Posting after the money left, and releasing a hold, must eventually succeed: retried without limit. */
const settle = proxyActivities<Activities>(COMPENSATION);

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
  const result = channelResult();
  if (!arrived || !result) {
    await release('FAILED', 'CHANNEL_TIMEOUT', 'the channel did not confirm in time', 'CHANNEL_TIMEOUT');
    return 'FAILED';
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
