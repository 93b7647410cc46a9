// Marks a delivery FAILED once its retries are exhausted (a DELIVERED one stays).
import type { EntityManager } from '@mikro-orm/postgresql';
import { markDeliveryFailed } from '../../db/store/events';

export async function failWebhookDelivery(em: EntityManager, deliveryId: string): Promise<void> {
  await em.transactional((tx) => markDeliveryFailed(tx, deliveryId));
}
