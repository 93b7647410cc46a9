// Dispatches one committed event (`event-dispatch-<eventId>`): creates its webhook deliveries once, starts their
// delivery workflows and mails the tenant's admins when asked to. Every step is idempotent; no compensation.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index';
import type { DispatchEventInput } from '../domain/events/contract';
import { COMPENSATION } from './profiles';
import { markStatus } from './status';

/** Retried until it succeeds: an event is never left undelivered because the database blinked. */
const act = proxyActivities<Activities>(COMPENSATION);

export async function dispatchEventWorkflow(
  input: DispatchEventInput,
): Promise<{ deliveries: number; mails: number }> {
  const info = workflowInfo();
  const result = await act.dispatchEvent({
    key: info.workflowId,
    eventId: input.eventId,
    taskQueue: info.taskQueue,
  });
  markStatus('DISPATCHED');
  return result;
}
