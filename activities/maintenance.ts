// Activities of the maintenance area: the cleanup of expired rows in bounded batches.
import { heartbeat } from '@temporalio/activity';
import type { ExpiringKind } from '../domain/maintenance/contract';
import { purgeExpiredBatch } from '../domain/maintenance/purge-expired-rows';
import type { ActivityDeps } from './deps';

export function maintenanceActivities(deps: ActivityDeps) {
  return {
    /**
     * Deletes expired rows of one kind, `batchSize` per statement, at most `maxBatches` statements (idempotent:
     * a retry deletes what is still expired). Answers the count and whether rows were left for the next run.
     * Nothing to undo: only rows past their retention go.
     */
    async purgeExpiredRows(input: {
      key: string;
      kind: ExpiringKind;
      batchSize: number;
      maxBatches: number;
    }): Promise<{ deleted: number; unfinished: boolean }> {
      const now = new Date();
      let deleted = 0;
      for (let batch = 0; batch < input.maxBatches; batch++) {
        const n = await purgeExpiredBatch(deps.orm.em.fork(), input.kind, now, input.batchSize);
        deleted += n;
        heartbeat(deleted);
        if (n < input.batchSize) return { deleted, unfinished: false };
      }
      return { deleted, unfinished: true };
    },
  };
}
