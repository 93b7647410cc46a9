// Temporal Schedules the system needs, created idempotently at worker start (a change of interval updates them).
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { Config } from '../domain/config';
import { EVENT_SWEEP_SCHEDULE_ID } from '../domain/events/contract';
import { PAYOUT_RECONCILIATION_SCHEDULE_ID, type ReconcilePayoutsInput } from '../domain/payouts/contract';

/** Voided or completed payouts closed within this window are compared with the bank's records. */
export const RECONCILE_CLOSED_WITHIN_MS = 2 * 24 * 3_600_000;

export function reconciliationInput(config: Config): ReconcilePayoutsInput {
  // Twice the confirmation timeout: a payout in its own inquiry/recall is not reported as stuck.
  return { stuckAfterMs: 2 * config.CHANNEL_CONFIRM_TIMEOUT_MS, closedWithinMs: RECONCILE_CLOSED_WITHIN_MS };
}

/** The `payout-reconciliation` schedule: runs reconcilePayoutsWorkflow every PAYOUT_RECONCILIATION_INTERVAL. */
export async function ensurePayoutReconciliationSchedule(
  client: Client,
  config: Config,
  taskQueue: string,
): Promise<void> {
  const spec = { intervals: [{ every: config.PAYOUT_RECONCILIATION_INTERVAL_MS }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'reconcilePayoutsWorkflow',
    workflowId: PAYOUT_RECONCILIATION_SCHEDULE_ID,
    taskQueue,
    args: [reconciliationInput(config)],
  };
  try {
    await client.schedule.create({
      scheduleId: PAYOUT_RECONCILIATION_SCHEDULE_ID,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule
      .getHandle(PAYOUT_RECONCILIATION_SCHEDULE_ID)
      .update((previous) => ({ ...previous, spec, action }));
  }
}

/** The `event-sweep` schedule: dispatches events whose start was lost, restarts abandoned deliveries. */
export async function ensureEventSweepSchedule(
  client: Client,
  config: Config,
  taskQueue: string,
): Promise<void> {
  const spec = { intervals: [{ every: config.EVENT_SWEEP_INTERVAL_MS }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'sweepEventsWorkflow',
    workflowId: EVENT_SWEEP_SCHEDULE_ID,
    taskQueue,
    args: [],
    staticSummary: 'Event sweep: dispatch lost events, restart abandoned webhook deliveries',
  };
  try {
    await client.schedule.create({
      scheduleId: EVENT_SWEEP_SCHEDULE_ID,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule
      .getHandle(EVENT_SWEEP_SCHEDULE_ID)
      .update((previous) => ({ ...previous, spec, action }));
  }
}
