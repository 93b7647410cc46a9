// Activity interceptors of the worker. Data errors are never retried: a PostgreSQL data exception or integrity
// violation (SQLSTATE class 22, 23, 54) or one of our own 4xx AppErrors fails the activity at once, as a
// non-retryable ApplicationFailure whose type is the AppError code; only infrastructure errors are retried.
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityInboundCallsInterceptor, ActivityInterceptorsFactory } from '@temporalio/worker';
import { AppError } from '../domain/errors';
import { appErrorFromDatabase, isDataErrorState, postgresError } from '../db/errors';

/** The non-retryable failure an activity error stands for, or null when the error may be retried. */
export function nonRetryableFailure(err: unknown): ApplicationFailure | null {
  if (err instanceof ApplicationFailure) return null;
  if (err instanceof AppError) {
    return err.status < 500 ? ApplicationFailure.nonRetryable(err.message, err.code) : null;
  }
  const pg = postgresError(err);
  if (!pg || !isDataErrorState(pg.code)) return null;
  const mapped = appErrorFromDatabase(err)!;
  // The driver's message quotes the SQL and its values: only the SQLSTATE and constraint go to the history.
  const where = pg.constraint ? `, constraint ${pg.constraint}` : '';
  return ApplicationFailure.nonRetryable(`${mapped.message} (SQLSTATE ${pg.code}${where})`, mapped.code);
}

const nonRetryableDataErrors: ActivityInboundCallsInterceptor = {
  async execute(input, next) {
    try {
      return await next(input);
    } catch (err) {
      throw nonRetryableFailure(err) ?? err;
    }
  },
};

/** Registered on every worker (worker/worker.ts). */
export const activityInterceptors: ActivityInterceptorsFactory[] = [
  () => ({ inbound: nonRetryableDataErrors }),
];
