// Webhook URLs must reach the public internet: refused when saved and re-checked before every delivery.
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index';
import { createLogger } from '../../domain/logger';
import { assertWebhookTarget, encryptWebhookSecret, newWebhookSecret } from '../../domain/webhooks';
import { useTestContext } from '../helpers/context';
import { PRIVATE_WEBHOOK_TARGETS } from '../helpers/webhook-receiver';
import { call, expectProblem } from '../helpers/http';
import { createTenant } from '../helpers/factories';

const ctx = useTestContext({ worker: false, env: { ALLOW_HTTP_WEBHOOKS: '0' } });

describe('the webhook target rule', () => {
  const resolvingTo = (addresses: string[]) => async () => addresses;

  it('refuses a host with any non-public address, and plain http, unless ALLOW_HTTP_WEBHOOKS=1', async () => {
    const url = 'https://hooks.example.com/in';
    await expect(assertWebhookTarget(url, false, resolvingTo(['93.184.216.34']))).resolves.toBeUndefined();
    for (const addresses of [
      ['10.0.0.5'],
      ['93.184.216.34', '::1'],
      ['fe80::1'],
      ['::ffff:192.168.0.1'],
      [],
    ]) {
      await expect(
        assertWebhookTarget(url, false, resolvingTo(addresses)),
        addresses.join(),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    await expect(
      assertWebhookTarget('http://hooks.example.com/in', false, resolvingTo(['93.184.216.34'])),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      assertWebhookTarget('http://10.0.0.5/in', true, resolvingTo(['10.0.0.5'])),
    ).resolves.toBeUndefined();
  });
});

describe('PUT /v1/tenant/notification-settings without ALLOW_HTTP_WEBHOOKS', () => {
  it('answers 400 for URLs that reach private, loopback or link-local addresses, and saves nothing', async () => {
    const ws = await createTenant(ctx);
    for (const webhookUrl of PRIVATE_WEBHOOK_TARGETS) {
      const res = await call(ctx, 'PUT', '/v1/tenant/notification-settings', {
        token: ws.admin.token,
        body: { webhookUrl, events: ['transfer.completed'] },
      });
      expect(expectProblem(res, 400, 'VALIDATION_FAILED').errors, webhookUrl).toEqual([
        { path: 'body.webhookUrl', message: expect.stringContaining('address') },
      ]);
    }
    const saved = await call(ctx, 'GET', '/v1/tenant/notification-settings', { token: ws.admin.token });
    expect(saved.body.webhookUrl).toBeNull();
    const publicUrl = await call(ctx, 'PUT', '/v1/tenant/notification-settings', {
      token: ws.admin.token,
      body: { webhookUrl: 'https://93.184.216.34/hook', events: ['transfer.completed'] },
    });
    expect(publicUrl.status).toBe(200);
  });
});

describe('delivery', () => {
  let receiver: Server;
  let connections = 0;

  beforeAll(async () => {
    receiver = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });

  afterAll(() => receiver.close());

  it('re-checks the address before sending: a URL that now resolves to a private address is never contacted', async () => {
    const ws = await createTenant(ctx);
    const url = `https://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    // As if DNS answered a public address when the URL was saved and a loopback one now (rebinding).
    await ctx.orm.em.fork().execute(
      `insert into notification_settings (tenant_id, webhook_url, webhook_secret_enc, events, email_enabled, updated_at)
       values (?, ?, ?, '{transfer.completed}', false, now())`,
      [ws.tenantId, url, encryptWebhookSecret(ctx.config.MFA_ENCRYPTION_KEY, newWebhookSecret())],
    );
    const activities = createActivities({ orm: ctx.orm, config: ctx.config, logger: createLogger('silent') });
    const env = new MockActivityEnvironment();
    const key = `rebinding-${ws.tenantId}`;
    const deliveryId = await env.run(activities.prepareWebhookDelivery, {
      key,
      tenantId: ws.tenantId,
      event: 'transfer.completed',
      data: { id: 'x' },
    });
    expect(deliveryId).toEqual(expect.any(String));
    await expect(
      env.run(activities.deliverWebhook, { key, deliveryId: deliveryId as string }),
    ).rejects.toMatchObject({
      nonRetryable: true,
    });
    expect(connections).toBe(0);
  });
});
