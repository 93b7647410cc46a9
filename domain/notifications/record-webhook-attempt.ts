// Records one delivery attempt and the delivery's latest outcome (DELIVERED on a 2xx answer).
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordDeliveryAttempt } from '../../db/store/events';

export async function recordWebhookAttempt(
  em: EntityManager,
  input: {
    deliveryId: string;
    attempt: number;
    outcome: { statusCode: number | null; error: string | null; durationMs: number; delivered: boolean };
  },
): Promise<void> {
  await em.transactional((tx) => recordDeliveryAttempt(tx, input.deliveryId, input.attempt, input.outcome));
}
