// The tenant's notification settings: webhook URL, subscribed events, email switch. The signing secret is
// generated on first save (or on request) and shown once, in that PUT answer only.
import { AppError } from '../../domain/errors';
import { encryptWebhookSecret, newWebhookSecret, TENANT_EVENTS } from '../../domain/webhooks';
import { recordAudit } from '../../db/store/audit';
import { clientIp } from '../throttle';
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
      'The HMAC-SHA256 signing secret, present only in the answer that created it. Receivers verify `Portal-Signature: t=<ts>,v1=<hex>` over `${ts}.${body}`.',
  }),
}).openapi('NotificationSettingsSaved');

interface SettingsRow {
  webhook_url: string | null;
  events: string[];
  email_enabled: boolean;
  webhook_secret_enc: string | null;
  updated_at: Date;
}

function settingsJson(row: SettingsRow | undefined) {
  return {
    webhookUrl: row?.webhook_url ?? null,
    events: row?.events ?? [],
    emailEnabled: row?.email_enabled ?? false,
    webhookSecretSet: Boolean(row?.webhook_secret_enc),
    updatedAt: row ? new Date(row.updated_at).toISOString() : null,
  };
}

const SELECT = `select webhook_url, events, email_enabled, webhook_secret_enc, updated_at
                  from notification_settings where tenant_id = ?`;

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
      const [row] = await c.get('em').execute<SettingsRow[]>(SELECT, [c.get('auth').workspace.tenantId]);
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
        '`webhookUrl` must be https (plain http only with `ALLOW_HTTP_WEBHOOKS=1`). The first save with a URL (or `rotateSecret: true`) generates the signing secret and returns it once as `webhookSecret`.',
      access: 'tenant.notifications.manage',
      request: { body: jsonBody(SettingsBody) },
      responses: { 200: jsonContent(SavedSettings, 'The saved settings'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const auth = c.get('auth');
      const { config } = c.get('deps');
      if (body.webhookUrl) {
        const protocol = new URL(body.webhookUrl).protocol;
        const allowed = protocol === 'https:' || (protocol === 'http:' && config.ALLOW_HTTP_WEBHOOKS);
        if (!allowed) {
          throw new AppError('VALIDATION_FAILED', 'the webhook URL must use https', {
            errors: [{ path: 'body.webhookUrl', message: 'must be an https URL' }],
          });
        }
      }
      const tenantId = auth.workspace.tenantId;
      const saved = await c.get('em').transactional(async (tx) => {
        const [current] = await tx.execute<SettingsRow[]>(`${SELECT} for update`, [tenantId]);
        const needsSecret = Boolean(body.webhookUrl) && (!current?.webhook_secret_enc || body.rotateSecret);
        const secret = needsSecret ? newWebhookSecret() : null;
        const secretEnc = secret
          ? encryptWebhookSecret(config.MFA_ENCRYPTION_KEY, secret)
          : (current?.webhook_secret_enc ?? null);
        await tx.execute(
          `insert into notification_settings (tenant_id, webhook_url, webhook_secret_enc, events, email_enabled, updated_by, updated_at)
           values (?, ?, ?, ?::text[], ?, ?, now())
           on conflict (tenant_id) do update set webhook_url = excluded.webhook_url,
             webhook_secret_enc = excluded.webhook_secret_enc, events = excluded.events,
             email_enabled = excluded.email_enabled, updated_by = excluded.updated_by, updated_at = now()`,
          [
            tenantId,
            body.webhookUrl,
            secretEnc,
            `{${[...new Set(body.events)].join(',')}}`,
            body.emailEnabled,
            auth.user.id,
          ],
        );
        await recordAudit(tx, {
          tenantId,
          workspaceId: auth.workspace.id,
          actorUserId: auth.user.id,
          action: 'tenant.notification_settings.updated',
          targetType: 'tenant',
          targetId: tenantId,
          data: {
            webhookUrl: body.webhookUrl,
            events: body.events,
            emailEnabled: body.emailEnabled,
            secretIssued: Boolean(secret),
          },
          ip: clientIp(c),
          requestId: c.get('requestId'),
        });
        const [row] = await tx.execute<SettingsRow[]>(SELECT, [tenantId]);
        return { row, secret };
      });
      return c.json(
        { ...settingsJson(saved.row), ...(saved.secret ? { webhookSecret: saved.secret } : {}) },
        200,
      );
    },
  );
