// Records a delivery when the tenant's webhook is subscribed to the event; returns its ID, or null when there is
// nothing to send. Idempotent per event key.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { webhookPayload } from '../webhooks';
import { findDeliveryByKey, insertDelivery } from '../../db/store/events';
import { findNotificationSettings } from '../../db/store/notifications';

export async function prepareWebhookDelivery(
  em: EntityManager,
  input: { eventKey: string; tenantId: string; event: string; data: Record<string, unknown> },
): Promise<string | null> {
  return em.transactional(async (tx) => {
    const existing = await findDeliveryByKey(tx, input.eventKey);
    if (existing) return existing.id;
    const settings = await findNotificationSettings(tx, input.tenantId);
    if (!settings?.webhookUrl || !settings.events.includes(input.event)) return null;
    const id = randomUUID();
    await insertDelivery(tx, {
      id,
      tenantId: input.tenantId,
      eventKey: input.eventKey,
      event: input.event,
      url: settings.webhookUrl,
      payload: webhookPayload({
        id,
        event: input.event,
        tenantId: input.tenantId,
        createdAt: new Date(),
        data: input.data,
      }),
    });
    return id;
  });
}
