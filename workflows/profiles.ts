// Named retry and timeout profiles for activities; workflows pick one by name, never inline numbers.
import type { Duration } from '@temporalio/common';
import type { ActivityOptions, RetryPolicy } from '@temporalio/workflow';

/** Exponential back-off (doubling) from `initial` to `max`; without `attempts`, retried until it succeeds. */
function backoff(initial: Duration, max: Duration, attempts?: number): RetryPolicy {
  return {
    initialInterval: initial,
    backoffCoefficient: 2,
    maximumInterval: max,
    ...(attempts ? { maximumAttempts: attempts } : {}),
  };
}

/** A short database write: retried with back-off, business refusals are non-retryable failures. */
export const DB_WRITE: ActivityOptions = { startToCloseTimeout: '10s', retry: backoff('200ms', '10s', 20) };

/** Many short database writes in one activity (a chunk of rows), heartbeating after each; retried like DB_WRITE. */
export const DB_BATCH: ActivityOptions = {
  startToCloseTimeout: '5m',
  heartbeatTimeout: '30s',
  retry: DB_WRITE.retry,
};

/** A compensation: retried until it succeeds (no maximumAttempts means unlimited), never given up on. */
export const COMPENSATION: ActivityOptions = { startToCloseTimeout: '10s', retry: backoff('500ms', '30s') };

/** A call to an external system (bank, SMTP, webhook receiver): slower, retried for longer. */
export const EXTERNAL_CALL: ActivityOptions = { startToCloseTimeout: '30s', retry: backoff('1s', '5m', 50) };

/** Best-effort delivery (notifications): retried with back-off for a day; failure never fails the caller. */
export const DELIVERY: ActivityOptions = {
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '24h',
  retry: backoff('2s', '30m'),
};

/**
 * A status inquiry at a channel: read-only and idempotent, and the transfer cannot decide without its answer,
 * so it is retried without limit (a bank outage delays the decision, never turns it into a guess).
 */
export const CHANNEL_INQUIRY: ActivityOptions = { startToCloseTimeout: '30s', retry: backoff('1s', '1m') };

/** A recall at a channel: idempotent by transfer ID, retried without limit until the bank answers. */
export const CHANNEL_RECALL: ActivityOptions = { startToCloseTimeout: '30s', retry: backoff('1s', '1m') };

/**
 * One webhook attempt: the HTTP call has its own limit (WEBHOOK_TIMEOUT), so only infrastructure failures
 * (database, worker crash) retry the activity; the delivery's own back-off is the workflow's sleep.
 */
export const WEBHOOK_ATTEMPT: ActivityOptions = { startToCloseTimeout: '1m', retry: backoff('1s', '1m') };

/** Housekeeping in batches (heartbeating): a failed run is retried a few times, then the next scheduled run. */
export const MAINTENANCE: ActivityOptions = {
  startToCloseTimeout: '10m',
  heartbeatTimeout: '1m',
  retry: backoff('5s', '1m', 5),
};
