// The maintenance area's contract: the cleanup of expiring rows (Temporal Schedule `expired-rows-cleanup`), its
// input and report, and the retention rule for each kind of row (pure: the cut-off dates for a given moment).

export const EXPIRED_ROWS_CLEANUP_SCHEDULE_ID = 'expired-rows-cleanup';

/** The kinds of rows that expire and are deleted once they can no longer matter. */
export const EXPIRING_KINDS = [
  'mfaChallenges',
  'throttleCounters',
  'sessions',
  'pendingCredentials',
  'passwordResets',
] as const;
export type ExpiringKind = (typeof EXPIRING_KINDS)[number];

export interface PurgeExpiredRowsInput {
  /** Rows deleted per statement (one short transaction each). */
  batchSize: number;
  /** Statements per kind and run; what is left waits for the next run. */
  maxBatches: number;
}

export interface PurgeExpiredRowsReport {
  deleted: Record<ExpiringKind, number>;
  /** Kinds that still had expired rows when the run's batch budget ran out. */
  unfinished: ExpiringKind[];
}

export const DEFAULT_PURGE_INPUT: PurgeExpiredRowsInput = { batchSize: 500, maxBatches: 20 };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * How long each kind is kept past its expiry. An MFA challenge: an hour (its owner lookup keeps the back-off
 * of late attempts meaningful); a throttle counter: a day without a hit and no block running (longer than any
 * window or back-off reset, 15 minutes); a session: not at all; a parked password hash: a day (the provisioning
 * workflow has long failed or used it); a password reset: 30 days (its token is dead; the row explains a
 * support question about it).
 */
export const RETENTION_MS: Record<ExpiringKind, number> = {
  mfaChallenges: HOUR,
  throttleCounters: DAY,
  sessions: 0,
  pendingCredentials: DAY,
  passwordResets: 30 * DAY,
};

/** The cut-off for `kind` at `now`: rows that expired (a throttle counter: were last touched) before it go. */
export function purgeCutoff(kind: ExpiringKind, now: Date): Date {
  return new Date(now.getTime() - RETENTION_MS[kind]);
}
