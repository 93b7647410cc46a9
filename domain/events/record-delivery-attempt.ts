// Records one webhook attempt with the delivery's new state (SUCCEEDED, PENDING with its next attempt, or FAILED
// once the schedule is spent or the URL is refused) in one transaction.
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordEventDeliveryAttempt, stopDelivery } from '../../db/store/events';

export async function recordDeliveryAttempt(
  em: EntityManager,
  input: {
    deliveryId: string;
    statusCode: number | null;
    error: string | null;
    durationMs: number;
    status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
    retryInMs: number | null;
  },
): Promise<void> {
  await em.transactional((tx) =>
    recordEventDeliveryAttempt(tx, input.deliveryId, {
      statusCode: input.statusCode,
      error: input.error,
      durationMs: input.durationMs,
      status: input.status,
      nextAttemptAt: input.retryInMs === null ? null : new Date(Date.now() + input.retryInMs),
    }),
  );
}

/** A delivery whose target no longer takes it (endpoint disabled or deleted, subscription removed) ends FAILED. */
export async function stopEventDelivery(
  em: EntityManager,
  deliveryId: string,
  reason: string,
): Promise<void> {
  await em.transactional((tx) => stopDelivery(tx, deliveryId, reason));
}
