// The tenant's notification settings: webhook URL, subscribed events, email switch. The signing secret is
// generated on first save (or on request) and shown once, in that PUT answer only.
import { saveNotificationSettings } from '../../domain/notifications/save-notification-settings';
import { assertWebhookTarget, TENANT_EVENTS } from '../../domain/webhooks';
import { findNotificationSettings } from '../../db/store/notifications';
import type { NotificationSettingsEntity } from '../../db/entities/messaging';
import { actorOf } from '../actor';
import { COMMON_ERRORS, createRouter, defineRoute, jsonBody, jsonContent, z } from '../openapi';

const SettingsBody = z
  .strictObject({
    webhookUrl: z.url().max(2048).nullable(),
    events: z.array(z.enum(TENANT_EVENTS)).max(TENANT_EVENTS.length),
    emailEnabled: z.boolean().default(false),
    rotateSecret: z.boolean().optional().openapi({ description: 'Issue a new signing secret (shown once).' }),
  })
  .openapi('NotificationSettingsUpdate');

const Settings = z
  .object({
    webhookUrl: z.string().nullable(),
    events: z.array(z.string()),
    emailEnabled: z.boolean(),
    webhookSecretSet: z.boolean(),
    updatedAt: z.string().nullable(),
  })
  .openapi('NotificationSettings');

const SavedSettings = Settings.extend({
  webhookSecret: z.string().optional().openapi({
    description:
      'The `whsec_` signing secret, present only in the answer that created it. Deliveries follow Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`): verify them with any Standard Webhooks library.',
  }),
}).openapi('NotificationSettingsSaved');

function settingsJson(row: NotificationSettingsEntity | null) {
  return {
    webhookUrl: row?.webhookUrl ?? null,
    events: row?.events ?? [],
    emailEnabled: row?.emailEnabled ?? false,
    webhookSecretSet: Boolean(row?.webhookSecretEnc),
    updatedAt: row ? new Date(row.updatedAt).toISOString() : null,
  };
}

export const tenantNotificationsRouter = createRouter()
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/tenant/notification-settings',
      tags: ['Tenant'],
      summary: 'The webhook and email notification settings',
      access: 'tenant.notifications.manage',
      responses: { 200: jsonContent(Settings, 'The settings'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const row = await findNotificationSettings(c.get('em'), c.get('auth').workspace.tenantId);
      return c.json(settingsJson(row), 200);
    },
  )
  .openapi(
    defineRoute({
      method: 'put',
      path: '/v1/tenant/notification-settings',
      tags: ['Tenant'],
      summary: 'Replace the notification settings',
      description:
        '`webhookUrl` must be https and resolve to public addresses only (both lifted by `ALLOW_HTTP_WEBHOOKS=1`). The first save with a URL (or `rotateSecret: true`) generates the signing secret and returns it once as `webhookSecret`.',
      access: 'tenant.notifications.manage',
      request: { body: jsonBody(SettingsBody) },
      responses: { 200: jsonContent(SavedSettings, 'The saved settings'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const { config } = c.get('deps');
      const settings = c.req.valid('json');
      if (settings.webhookUrl) await assertWebhookTarget(settings.webhookUrl, config.ALLOW_HTTP_WEBHOOKS);
      const saved = await saveNotificationSettings(
        c.get('em'),
        {
          tenantId: c.get('auth').workspace.tenantId,
          settings,
          allowHttp: config.ALLOW_HTTP_WEBHOOKS,
          encryptionKey: config.MFA_ENCRYPTION_KEY,
        },
        actorOf(c),
      );
      return c.json(
        { ...settingsJson(saved.row), ...(saved.secret ? { webhookSecret: saved.secret } : {}) },
        200,
      );
    },
  );
