// The `event-sweep` Schedule's run: dispatches events whose dispatch start was lost (crash after commit) and
// restarts abandoned PENDING deliveries. Idempotent; no compensation.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index';
import { DB_WRITE } from './profiles';
import { markStatus } from './status';

const act = proxyActivities<Activities>({ ...DB_WRITE, startToCloseTimeout: '5m' });

/** `tenantId` limits the sweep to one tenant (tests, an operator repairing one tenant); the Schedule sweeps all. */
export async function sweepEventsWorkflow(
  input: { tenantId?: string } = {},
): Promise<{ events: number; deliveries: number }> {
  const info = workflowInfo();
  const result = await act.sweepEvents({ key: info.workflowId, taskQueue: info.taskQueue, ...input });
  markStatus(result.events || result.deliveries ? 'RECOVERED' : 'NOTHING_TO_DO');
  return result;
}
