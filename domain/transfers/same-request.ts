// The Idempotency-Key rule: a key stands for one request body; the same key with a different body is refused.
import { AppError } from '../errors';
import { requestFingerprint } from '../ledger';

/** Throws IDEMPOTENCY_KEY_REUSED (409) when `body` is not the request the key was first used with. */
export function assertSameRequest(claimed: { requestHash: string }, body: unknown): void {
  if (claimed.requestHash !== requestFingerprint(body)) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different request');
  }
}
