// Command: delete one bounded batch of expired rows of one kind, through the store that owns the table. No audit
// row: nothing a person did changes; the cleanup workflow's result is the record.
import type { EntityManager } from '@mikro-orm/postgresql';
import { deleteExpiredCredentials } from '../../db/store/credentials';
import { deleteExpiredMfaChallenges } from '../../db/store/mfa-challenges';
import { deleteSpentPasswordResets } from '../../db/store/password-resets';
import { deleteExpiredSessionBatch } from '../../db/store/sessions';
import { deleteIdleThrottleCounters } from '../../db/store/throttle';
import { purgeCutoff, type ExpiringKind } from './contract';

const DELETERS: Record<ExpiringKind, (em: EntityManager, before: Date, limit: number) => Promise<number>> = {
  mfaChallenges: deleteExpiredMfaChallenges,
  throttleCounters: deleteIdleThrottleCounters,
  sessions: deleteExpiredSessionBatch,
  pendingCredentials: deleteExpiredCredentials,
  passwordResets: deleteSpentPasswordResets,
};

/** Deletes at most `limit` rows of `kind` past their retention at `now`; answers how many went. */
export function purgeExpiredBatch(
  em: EntityManager,
  kind: ExpiringKind,
  now: Date,
  limit: number,
): Promise<number> {
  return DELETERS[kind](em, purgeCutoff(kind, now), limit);
}
