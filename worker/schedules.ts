// Temporal Schedules the system needs, created idempotently at worker start (a change of interval updates them).
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { Config } from '../domain/config';
import { EVENT_SWEEP_SCHEDULE_ID } from '../domain/events/contract';
import { DEFAULT_PURGE_INPUT, EXPIRED_ROWS_CLEANUP_SCHEDULE_ID } from '../domain/maintenance/contract';
import { PAYOUT_RECONCILIATION_SCHEDULE_ID, type ReconcilePayoutsInput } from '../domain/payouts/contract';

/** Voided or completed payouts closed within this window are compared with the bank's records. */
export const RECONCILE_CLOSED_WITHIN_MS = 2 * 24 * 3_600_000;

export function reconciliationInput(config: Config): ReconcilePayoutsInput {
  // Twice the confirmation timeout: a payout in its own inquiry/recall is not reported as stuck.
  return { stuckAfterMs: 2 * config.CHANNEL_CONFIRM_TIMEOUT_MS, closedWithinMs: RECONCILE_CLOSED_WITHIN_MS };
}

/** The `payout-reconciliation` schedule: runs reconcilePayoutsWorkflow every PAYOUT_RECONCILIATION_INTERVAL. */
export function ensurePayoutReconciliationSchedule(
  client: Client,
  config: Config,
  taskQueue: string,
): Promise<void> {
  return ensureSchedule(client, {
    scheduleId: PAYOUT_RECONCILIATION_SCHEDULE_ID,
    everyMs: config.PAYOUT_RECONCILIATION_INTERVAL_MS,
    workflowType: 'reconcilePayoutsWorkflow',
    args: [reconciliationInput(config)],
    taskQueue,
  });
}

/** The `event-sweep` schedule: dispatches events whose start was lost, restarts abandoned deliveries. */
export function ensureEventSweepSchedule(client: Client, config: Config, taskQueue: string): Promise<void> {
  return ensureSchedule(client, {
    scheduleId: EVENT_SWEEP_SCHEDULE_ID,
    everyMs: config.EVENT_SWEEP_INTERVAL_MS,
    workflowType: 'sweepEventsWorkflow',
    args: [],
    taskQueue,
    staticSummary: 'Event sweep: dispatch lost events, restart abandoned webhook deliveries',
  });
}

/** The `expired-rows-cleanup` schedule: runs purgeExpiredRowsWorkflow every EXPIRED_ROWS_CLEANUP_INTERVAL. */
export function ensureExpiredRowsCleanupSchedule(
  client: Client,
  config: Config,
  taskQueue: string,
): Promise<void> {
  return ensureSchedule(client, {
    scheduleId: EXPIRED_ROWS_CLEANUP_SCHEDULE_ID,
    everyMs: config.EXPIRED_ROWS_CLEANUP_INTERVAL_MS,
    workflowType: 'purgeExpiredRowsWorkflow',
    args: [DEFAULT_PURGE_INPUT],
    taskQueue,
    staticSummary: 'Cleanup: expired MFA challenges, idle throttle counters, expired sessions, dead tokens',
  });
}

/** Every schedule of the system, created or brought up to date at worker start. */
export async function ensureSchedules(client: Client, config: Config, taskQueue: string): Promise<void> {
  await ensurePayoutReconciliationSchedule(client, config, taskQueue);
  await ensureEventSweepSchedule(client, config, taskQueue);
  await ensureExpiredRowsCleanupSchedule(client, config, taskQueue);
}

/** Creates the schedule (overlap SKIP; its workflow ID is the schedule ID) or updates its interval and action. */
async function ensureSchedule(
  client: Client,
  s: {
    scheduleId: string;
    everyMs: number;
    workflowType: string;
    args: unknown[];
    taskQueue: string;
    staticSummary?: string;
  },
): Promise<void> {
  const spec = { intervals: [{ every: s.everyMs }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: s.workflowType,
    workflowId: s.scheduleId,
    taskQueue: s.taskQueue,
    args: s.args,
    ...(s.staticSummary ? { staticSummary: s.staticSummary } : {}),
  };
  try {
    await client.schedule.create({
      scheduleId: s.scheduleId,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(s.scheduleId).update((previous) => ({ ...previous, spec, action }));
  }
}
