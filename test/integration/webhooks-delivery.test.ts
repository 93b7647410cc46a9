import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTenantNotification } from '../../activities/webhooks';
import { verifySignature } from '../../domain/webhooks';
import { useTestContext } from '../helpers/context';
import { call, expectProblem } from '../helpers/http';
import { createPartnerWorkspace, createTenant, uniqueEmail } from '../helpers/factories';
import { eventually, historyText } from './messaging-helpers';

const ctx = useTestContext();

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local webhook receiver: records every request; `failFirst[path]` requests on a path answer 500. */
const received: Received[] = [];
const failFirst: Record<string, number> = {};
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body });
      const failures = failFirst[path] ?? 0;
      if (failures > 0) {
        failFirst[path] = failures - 1;
        res.writeHead(500).end('not now');
      } else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function configure(token: string, path: string, events: string[]) {
  const res = await call(ctx, 'PUT', '/v1/tenant/notification-settings', {
    token,
    body: { webhookUrl: `${baseUrl}${path}`, events, emailEnabled: true },
  });
  expect(res.status).toBe(200);
  return res.body;
}

async function notify(
  tenantId: string,
  event: 'transfer.completed' | 'transfer.failed',
  data: Record<string, unknown>,
) {
  const eventKey = `test-${randomUUID()}`;
  await startTenantNotification(ctx.temporal, ctx.taskQueue, { tenantId, event, data, eventKey });
  return ctx.temporal.workflow.getHandle(`tenant-notification-${eventKey}`);
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
      webhookUrl: `${baseUrl}/settings`,
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
      await put({ webhookUrl: `${baseUrl}/x`, events: ['money.printed'], emailEnabled: true }),
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

describe('webhook delivery', () => {
  it('POSTs the event signed with HMAC-SHA256 over timestamp.body, recording the attempt', async () => {
    const ws = await createTenant(ctx);
    const { webhookSecret } = await configure(ws.admin.token, `/signed-${ws.tenantId}`, [
      'transfer.completed',
    ]);
    const handle = await notify(ws.tenantId, 'transfer.completed', {
      transferId: 'tr_1',
      status: 'COMPLETED',
    });
    expect(await handle.result()).toBe('DELIVERED');

    const [request] = received.filter((r) => r.path === `/signed-${ws.tenantId}`);
    const signature = request!.headers['portal-signature'] as string;
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature(webhookSecret, signature, request!.body)).toBe(true);
    expect(verifySignature(webhookSecret, signature, request!.body.replace('tr_1', 'tr_2'))).toBe(false);
    expect(verifySignature('whsec_wrong', signature, request!.body)).toBe(false);
    expect(JSON.parse(request!.body)).toMatchObject({
      event: 'transfer.completed',
      tenantId: ws.tenantId,
      data: { transferId: 'tr_1', status: 'COMPLETED' },
    });
    const deliveries = await ctx.orm.em.fork().execute(
      `select d.status, d.attempts, a.status_code from webhook_delivery d join webhook_attempt a on a.delivery_id = d.id
          where d.tenant_id = ?`,
      [ws.tenantId],
    );
    expect(deliveries).toEqual([{ status: 'DELIVERED', attempts: 1, status_code: 204 }]);
    expect(await historyText(ctx, handle.workflowId)).not.toContain(webhookSecret);
  });

  it('retries with back-off until a failing receiver accepts, recording every attempt', async () => {
    const ws = await createTenant(ctx);
    const path = `/flaky-${ws.tenantId}`;
    failFirst[path] = 2;
    const { webhookSecret } = await configure(ws.admin.token, path, ['transfer.failed']);
    const handle = await notify(ws.tenantId, 'transfer.failed', { transferId: 'tr_9' });
    expect(await handle.result()).toBe('DELIVERED');

    const requests = received.filter((r) => r.path === path);
    expect(requests).toHaveLength(3);
    for (const r of requests) {
      expect(verifySignature(webhookSecret, r.headers['portal-signature'] as string, r.body)).toBe(true);
    }
    const attempts = await ctx.orm.em.fork().execute(
      `select a.attempt, a.status_code from webhook_attempt a join webhook_delivery d on d.id = a.delivery_id
          where d.tenant_id = ? order by a.attempt`,
      [ws.tenantId],
    );
    expect(attempts).toEqual([
      { attempt: 1, status_code: 500 },
      { attempt: 2, status_code: 500 },
      { attempt: 3, status_code: 204 },
    ]);
  });

  it('sends nothing for an event the tenant did not subscribe to', async () => {
    const ws = await createTenant(ctx);
    await configure(ws.admin.token, `/quiet-${ws.tenantId}`, ['transfer.completed']);
    const handle = await notify(ws.tenantId, 'transfer.failed', { transferId: 'tr_3' });
    expect(await handle.result()).toBe('NOT_SUBSCRIBED');
    expect(received.filter((r) => r.path === `/quiet-${ws.tenantId}`)).toHaveLength(0);
  });

  it('notifies member.invited when an invitation is sent', async () => {
    const ws = await createTenant(ctx);
    const path = `/invited-${ws.tenantId}`;
    await configure(ws.admin.token, path, ['member.invited']);
    const email = uniqueEmail('hooked');
    const res = await call(ctx, 'POST', '/v1/workspace/invitations', {
      token: ws.admin.token,
      body: { email, roleId: ws.roles.Finance },
    });
    expect(res.status).toBe(202);
    const request = await eventually(async () => received.find((r) => r.path === path));
    expect(JSON.parse(request.body)).toMatchObject({
      event: 'member.invited',
      data: { invitationId: res.body.id, email },
    });
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
