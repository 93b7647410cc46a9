// The innermost business message of a failure chain (what a tenant admin can act on), for sagas that end FAILED.
import { ApplicationFailure, TemporalFailure } from '@temporalio/workflow';

export function failureReason(err: unknown): string {
  let current: unknown = err;
  let message = err instanceof Error ? err.message : String(err);
  for (let depth = 0; current instanceof TemporalFailure && depth < 10; depth++) {
    if (current instanceof ApplicationFailure) return current.message;
    message = current.message || message;
    current = current.cause;
  }
  return message;
}
