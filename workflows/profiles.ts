// Named retry and timeout profiles for activities; workflows pick one by name, never inline numbers.
import type { ActivityOptions } from '@temporalio/workflow';

/** A short database write: retried with back-off, business refusals are non-retryable failures. */
export const DB_WRITE: ActivityOptions = {
  startToCloseTimeout: '10s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 20 },
};

/** A compensation: retried until it succeeds (no maximumAttempts means unlimited), never given up on. */
export const COMPENSATION: ActivityOptions = {
  startToCloseTimeout: '10s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
};

/** A call to an external system (bank, SMTP, webhook receiver): slower, retried for longer. */
export const EXTERNAL_CALL: ActivityOptions = {
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5m', maximumAttempts: 50 },
};

/** Best-effort delivery (notifications): retried with back-off for a day; failure never fails the caller. */
export const DELIVERY: ActivityOptions = {
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '24h',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '30m' },
};

/**
 * A status inquiry at a channel: read-only and idempotent, and the transfer cannot decide without its answer,
 * so it is retried without limit (a bank outage delays the decision, never turns it into a guess).
 */
export const CHANNEL_INQUIRY: ActivityOptions = {
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
};

/** A recall at a channel: idempotent by transfer ID, retried without limit until the bank answers. */
export const CHANNEL_RECALL: ActivityOptions = {
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
};

/**
 * One webhook attempt: the HTTP call has its own limit (WEBHOOK_TIMEOUT), so only infrastructure failures
 * (database, worker crash) retry the activity; the delivery's own back-off is the workflow's sleep.
 */
export const WEBHOOK_ATTEMPT: ActivityOptions = {
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
};

/** Housekeeping in batches (heartbeating): a failed run is retried a few times, then the next scheduled run. */
export const MAINTENANCE: ActivityOptions = {
  startToCloseTimeout: '10m',
  heartbeatTimeout: '1m',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 5 },
};
