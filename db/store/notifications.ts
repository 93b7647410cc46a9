// The notification_settings, webhook_delivery and webhook_attempt tables: the only module that writes them.
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import {
  NotificationSettings,
  WebhookAttempt,
  WebhookDelivery,
  type NotificationSettingsEntity,
  type WebhookDeliveryEntity,
} from '../entities/messaging';

export function findNotificationSettings(
  em: EntityManager,
  tenantId: string,
  options: { lock?: boolean } = {},
): Promise<NotificationSettingsEntity | null> {
  return em.findOne(
    NotificationSettings,
    { tenant: tenantId },
    options.lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {},
  );
}

export interface SettingsValues {
  webhookUrl: string | null;
  webhookSecretEnc: string | null;
  events: string[];
  emailEnabled: boolean;
  updatedBy: string | null;
}

/** Creates or replaces the tenant's settings row. */
export async function saveNotificationSettings(
  em: EntityManager,
  tenantId: string,
  current: NotificationSettingsEntity | null,
  values: SettingsValues,
): Promise<NotificationSettingsEntity> {
  const row =
    current ?? em.create(NotificationSettings, { tenant: tenantId, ...values, updatedAt: new Date() });
  em.assign(row, { ...values, updatedAt: new Date() });
  await em.flush();
  return row;
}

export function findDeliveryByKey(
  em: EntityManager,
  eventKey: string,
): Promise<WebhookDeliveryEntity | null> {
  return em.findOne(WebhookDelivery, { eventKey });
}

export async function insertDelivery(
  em: EntityManager,
  d: {
    id: string;
    tenantId: string;
    eventKey: string;
    event: string;
    url: string;
    payload: Record<string, unknown>;
  },
): Promise<void> {
  em.create(WebhookDelivery, {
    id: d.id,
    tenant: d.tenantId,
    eventKey: d.eventKey,
    event: d.event,
    url: d.url,
    payload: d.payload,
    status: 'PENDING',
    attempts: 0,
    createdAt: new Date(),
  });
  await em.flush();
}

export interface DeliveryToSend {
  id: string;
  url: string;
  event: string;
  payload: Record<string, unknown>;
  status: string;
  webhookSecretEnc: string | null;
}

/** The delivery with the tenant's current (encrypted) secret, or null. */
export async function findDeliveryToSend(
  em: EntityManager,
  deliveryId: string,
): Promise<DeliveryToSend | null> {
  const delivery = await em.findOne(WebhookDelivery, { id: deliveryId });
  if (!delivery) return null;
  const settings = await em.findOne(NotificationSettings, { tenant: delivery.tenant });
  return {
    id: delivery.id,
    url: delivery.url,
    event: delivery.event,
    payload: delivery.payload,
    status: delivery.status,
    webhookSecretEnc: settings?.webhookSecretEnc ?? null,
  };
}

/** Records one attempt (once per attempt number) and the delivery's latest outcome. */
export async function recordDeliveryAttempt(
  em: EntityManager,
  deliveryId: string,
  attempt: number,
  outcome: { statusCode: number | null; error: string | null; durationMs: number; delivered: boolean },
): Promise<void> {
  const error = outcome.error?.slice(0, 500) ?? null;
  if (!(await em.count(WebhookAttempt, { delivery: deliveryId, attempt }))) {
    em.create(WebhookAttempt, {
      delivery: deliveryId,
      attempt,
      statusCode: outcome.statusCode,
      error,
      durationMs: outcome.durationMs,
      createdAt: new Date(),
    });
  }
  const delivery = await em.findOneOrFail(WebhookDelivery, { id: deliveryId });
  em.assign(delivery, {
    attempts: delivery.attempts + 1,
    lastStatusCode: outcome.statusCode,
    lastError: error,
    ...(outcome.delivered ? { status: 'DELIVERED', deliveredAt: new Date() } : {}),
  });
  await em.flush();
}

export async function markDeliveryFailed(em: EntityManager, deliveryId: string): Promise<void> {
  await em.nativeUpdate(WebhookDelivery, { id: deliveryId, status: 'PENDING' }, { status: 'FAILED' });
}
