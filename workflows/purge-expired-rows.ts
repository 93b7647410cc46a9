// Scheduled cleanup (Temporal Schedule `expired-rows-cleanup`): deletes expired MFA challenges, idle throttle
// counters, expired sessions, unused parked password hashes and long-dead password resets, each kind in bounded
// batches; its result counts what went. Nothing to undo: only rows past their retention are deleted.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index';
import {
  EXPIRING_KINDS,
  type ExpiringKind,
  type PurgeExpiredRowsInput,
  type PurgeExpiredRowsReport,
} from '../domain/maintenance/contract';
import { MAINTENANCE } from './profiles';
import { markStatus } from './status';

const act = proxyActivities<Activities>(MAINTENANCE);

export async function purgeExpiredRowsWorkflow(
  input: PurgeExpiredRowsInput,
): Promise<PurgeExpiredRowsReport> {
  const key = workflowInfo().workflowId;
  const deleted = {} as Record<ExpiringKind, number>;
  const unfinished: ExpiringKind[] = [];
  for (const kind of EXPIRING_KINDS) {
    const result = await act.purgeExpiredRows({ key: `${key}:${kind}`, kind, ...input });
    deleted[kind] = result.deleted;
    if (result.unfinished) unfinished.push(kind);
  }
  markStatus(unfinished.length ? 'MORE_PENDING' : 'CLEAN');
  return { deleted, unfinished };
}
