// A tenant admin replaces the notification settings. The signing secret is generated on the first save with a
// URL (or on request) and returned once, in this answer only; it is stored encrypted.
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditBy, type Actor } from '../identity/actor';
import { AppError } from '../errors';
import { encryptWebhookSecret, isAllowedWebhookUrl, needsNewSecret, newWebhookSecret } from '../webhooks';
import { recordAudit } from '../../db/store/audit';
import {
  findNotificationSettings,
  saveNotificationSettings as writeSettings,
} from '../../db/store/notifications';
import type { NotificationSettingsEntity } from '../../db/entities/messaging';

export interface NotificationSettingsInput {
  webhookUrl: string | null;
  events: string[];
  emailEnabled: boolean;
  rotateSecret?: boolean;
}

export async function saveNotificationSettings(
  em: EntityManager,
  input: { tenantId: string; settings: NotificationSettingsInput; allowHttp: boolean; encryptionKey: string },
  actor: Actor,
): Promise<{ row: NotificationSettingsEntity; secret: string | null }> {
  const s = input.settings;
  if (s.webhookUrl && !isAllowedWebhookUrl(s.webhookUrl, input.allowHttp)) {
    throw new AppError('VALIDATION_FAILED', 'the webhook URL must use https', {
      errors: [{ path: 'body.webhookUrl', message: 'must be an https URL' }],
    });
  }
  return em.transactional(async (tx) => {
    const current = await findNotificationSettings(tx, input.tenantId, { lock: true });
    const secret = needsNewSecret(s.webhookUrl, Boolean(current?.webhookSecretEnc), Boolean(s.rotateSecret))
      ? newWebhookSecret()
      : null;
    const row = await writeSettings(tx, input.tenantId, current, {
      webhookUrl: s.webhookUrl,
      webhookSecretEnc: secret
        ? encryptWebhookSecret(input.encryptionKey, secret)
        : (current?.webhookSecretEnc ?? null),
      events: [...new Set(s.events)],
      emailEnabled: s.emailEnabled,
      updatedBy: actor.userId,
    });
    await recordAudit(
      tx,
      auditBy(
        actor,
        'tenant.notification_settings.updated',
        { type: 'tenant', id: input.tenantId },
        {
          webhookUrl: s.webhookUrl,
          events: s.events,
          emailEnabled: s.emailEnabled,
          secretIssued: Boolean(secret),
        },
      ),
    );
    return { row, secret };
  });
}
