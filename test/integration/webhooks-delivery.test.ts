import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context';
import { call, expectProblem } from '../helpers/http';
import { createPartnerWorkspace, createTenant } from '../helpers/factories';
import { useWebhookReceiver } from '../helpers/webhook-receiver';

const ctx = useTestContext();

const { url } = useWebhookReceiver();

async function configure(token: string, path: string, events: string[]) {
  const res = await call(ctx, 'PUT', '/v1/tenant/notification-settings', {
    token,
    body: { webhookUrl: url(path), events, emailEnabled: true },
  });
  expect(res.status).toBe(200);
  return res.body;
}

describe('notification settings', () => {
  it('saves the settings, issues the signing secret once and never shows it again', async () => {
    const ws = await createTenant(ctx);
    const empty = await call(ctx, 'GET', '/v1/tenant/notification-settings', { token: ws.admin.token });
    expect(empty.body).toMatchObject({
      webhookUrl: null,
      events: [],
      emailEnabled: false,
      webhookSecretSet: false,
    });

    const saved = await configure(ws.admin.token, '/settings', ['transfer.completed']);
    expect(saved).toMatchObject({
      webhookUrl: url('/settings'),
      events: ['transfer.completed'],
      webhookSecretSet: true,
    });
    expect(saved.webhookSecret).toMatch(/^whsec_/);
    const again = await configure(ws.admin.token, '/settings', ['transfer.completed', 'transfer.failed']);
    expect(again.webhookSecret).toBeUndefined();
    const got = await call(ctx, 'GET', '/v1/tenant/notification-settings', { token: ws.admin.token });
    expect(got.body).toMatchObject({
      events: ['transfer.completed', 'transfer.failed'],
      webhookSecretSet: true,
    });
    expect(JSON.stringify(got.body)).not.toContain(saved.webhookSecret);
    const [row] = await ctx.orm.em
      .fork()
      .execute('select webhook_secret_enc from notification_settings where tenant_id = ?', [ws.tenantId]);
    expect(row!.webhook_secret_enc).not.toContain(saved.webhookSecret);

    const put = (body: unknown, token = ws.admin.token) =>
      call(ctx, 'PUT', '/v1/tenant/notification-settings', { token, body });
    expectProblem(
      await put({ webhookUrl: 'not a url', events: [], emailEnabled: true }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await put({ webhookUrl: url('/x'), events: ['money.printed'], emailEnabled: true }),
      400,
      'VALIDATION_FAILED',
    );
    const partner = await createPartnerWorkspace(ctx, ws.tenantId);
    expectProblem(
      await put({ webhookUrl: null, events: [], emailEnabled: false }, partner.admin.token),
      403,
      'FORBIDDEN',
    );
    const audit = await call(ctx, 'GET', '/v1/tenant/audit-log?action=tenant.notification_settings.updated', {
      token: ws.admin.token,
    });
    expect(audit.body.data).toHaveLength(2);
    expect(JSON.stringify(audit.body)).not.toContain(saved.webhookSecret);
  });
});

describe('notification settings without ALLOW_HTTP_WEBHOOKS', () => {
  const strict = useTestContext({ worker: false, env: { ALLOW_HTTP_WEBHOOKS: '0' } });

  it('accepts only https webhook URLs', async () => {
    const ws = await createTenant(strict);
    const put = (webhookUrl: string) =>
      call(strict, 'PUT', '/v1/tenant/notification-settings', {
        token: ws.admin.token,
        body: { webhookUrl, events: ['transfer.completed'], emailEnabled: false },
      });
    const refused = expectProblem(await put('http://hooks.example.test/in'), 400, 'VALIDATION_FAILED');
    expect(refused.errors).toEqual([{ path: 'body.webhookUrl', message: expect.any(String) }]);
    expect((await put('https://93.184.216.34/in')).status).toBe(200);
  });
});
