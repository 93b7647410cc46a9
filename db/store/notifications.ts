// The notification_settings table: the only module that writes it (webhook deliveries live in db/store/events.ts).
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { NotificationSettings, type NotificationSettingsEntity } from '../entities/messaging';

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
