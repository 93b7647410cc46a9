// Events delivered as Standard Webhooks (verified with the `standardwebhooks` package, a verifier written by
// others): every emittable event type, workspace isolation of endpoints and /v1/events, retries with the same
// webhook-id, attempts listed, manual retry, disabled and deleted endpoints, email notifications, and the
// operator's view of a transfer workflow.
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, eventDispatchWorkflowId } from '../../domain/events/contract';
import { freePort } from '../../scripts/services';
import { useTestContext } from '../helpers/context';
import { createMember, createPartnerWorkspace, createTenant, uniqueEmail } from '../helpers/factories';
import { call, expectProblem } from '../helpers/http';
import { partnerBody, provisionPartner, waitForPartner } from '../helpers/partners';
import { approvedMerchant } from '../helpers/merchants';
import {
  inquiryAfterBankDecided,
  payoutEnv,
  realActivities,
  useServedApp,
  waitUntil,
} from '../helpers/payouts';
import {
  bankTransfer,
  createWallet,
  deposit,
  postTransfer,
  waitForTransfer,
  walletTransfer,
} from '../helpers/wallets';
import { PRIVATE_WEBHOOK_TARGETS, useWebhookReceiver, type Received } from '../helpers/webhook-receiver';
import { outboxMails } from './messaging-helpers';

const { received, failFirst, url } = useWebhookReceiver();

const port = await freePort();
const ctx = useTestContext({
  env: payoutEnv(port, { WEBHOOK_RETRY_SCHEDULE: '1s,1s,1s' }),
  activityOverrides: {
    // Partners named FAIL-... fail provisioning (partner.failed).
    createPartnerWallets: async (input: any) => {
      if (String(input.partnerName).startsWith('FAIL-')) {
        throw ApplicationFailure.nonRetryable('the ledger refused to open the wallet', 'INTERNAL');
      }
      return (realActivities(ctx) as any).createPartnerWallets(input);
    },
    // A payout with reference CANCEL-ME waits for its cancel request before submission (transfer.cancelled).
    submitToChannel: async (input: any) => {
      const [row] = await ctx.orm.em
        .fork()
        .execute<{ reference: string | null }[]>('select reference from transfer where id = ?', [
          input.transferId,
        ]);
      if (row?.reference === 'CANCEL-ME') {
        await waitUntil(async () => {
          const [t] = await ctx.orm.em
            .fork()
            .execute('select cancel_requested_at from transfer where id = ?', [input.transferId]);
          return t?.cancel_requested_at;
        }, 'the cancel request');
      }
      return (realActivities(ctx) as any).submitToChannel(input);
    },
    inquireChannel: (input: any) => inquiryAfterBankDecided(ctx).inquireChannel!(input as never),
  },
});
useServedApp(ctx, port);

/** The requests a path received, once there are at least `count`. */
function requestsTo(path: string, count = 1): Promise<Received[]> {
  return waitUntil(async () => {
    const got = received.filter((r) => r.path === path);
    return got.length >= count ? got : null;
  }, `${count} request(s) to ${path}`);
}

/** Verifies one request as a receiver would, with the standardwebhooks package; returns the event. */
function verified(secret: string, r: Received): any {
  const headers = {
    'webhook-id': String(r.headers['webhook-id']),
    'webhook-timestamp': String(r.headers['webhook-timestamp']),
    'webhook-signature': String(r.headers['webhook-signature']),
  };
  const event = new Webhook(secret).verify(r.body, headers) as any;
  expect(headers['webhook-id']).toBe(event.id);
  return event;
}

async function subscribeTenant(token: string, path: string, events: readonly string[], emailEnabled = false) {
  const res = await call(ctx, 'PUT', '/v1/tenant/notification-settings', {
    token,
    body: { webhookUrl: url(path), events, emailEnabled },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.webhookSecret).toMatch(/^whsec_/);
  return res.body.webhookSecret as string;
}

async function addEndpoint(token: string, path: string, events: string[]) {
  const res = await call(ctx, 'POST', '/v1/workspace/webhook-endpoints', {
    token,
    body: { url: url(path), events },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body).toMatchObject({ url: url(path), events, enabled: true });
  expect(res.body.secret).toMatch(/^whsec_/);
  return res.body as { id: string; secret: string };
}

async function fundedPair() {
  const tenant = await createTenant(ctx);
  const a = await createPartnerWorkspace(ctx, tenant.tenantId, 'Partner A');
  const b = await createPartnerWorkspace(ctx, tenant.tenantId, 'Partner B');
  const walletA = await createWallet(ctx, a);
  const walletB = await createWallet(ctx, b);
  await deposit(ctx, tenant, walletA, 50_000);
  await deposit(ctx, tenant, walletB, 50_000);
  return { tenant, a, b, walletA, walletB };
}

describe('event delivery (Standard Webhooks)', () => {
  it('delivers every emittable event type to the tenant subscription, each verifiable with standardwebhooks', async () => {
    const { tenant, a, walletA, walletB } = await fundedPair();
    const path = `/all-${tenant.tenantId}`;
    const secret = await subscribeTenant(tenant.admin.token, path, EVENT_TYPES);
    const token = tenant.admin.token;
    await call(ctx, 'PUT', '/v1/tenant/fees', {
      token,
      body: { data: [{ channelProductCode: 'SANDBOX_BANK', currency: 'USD', fixed: 100, percentBps: 0 }] },
    });

    const expected = new Map<string, string>();
    // Transfers: completed (internal), failed (the bank rejects), cancelled (cancelled before submission).
    const done = await postTransfer(ctx, a.admin.token, walletTransfer(walletA, walletB, 1_234));
    expect(done.body.status).toBe('COMPLETED');
    expected.set('transfer.completed', done.body.id);
    const rejected = await postTransfer(ctx, a.admin.token, bankTransfer(walletA, '000111222', 2_500));
    expect(rejected.status).toBe(201);
    expected.set('transfer.failed', rejected.body.id);
    const cancelled = await postTransfer(
      ctx,
      a.admin.token,
      bankTransfer(walletA, '12345678', 700, { reference: 'CANCEL-ME' }),
    );
    expect(cancelled.status).toBe(201);
    const cancel = await call(ctx, 'POST', `/v1/transfers/${cancelled.body.id}/cancel`, {
      token: a.admin.token,
    });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    expected.set('transfer.cancelled', cancelled.body.id);
    expect(await waitForTransfer(ctx, a.admin.token, rejected.body.id)).toMatchObject({ status: 'FAILED' });
    expect(await waitForTransfer(ctx, a.admin.token, cancelled.body.id)).toMatchObject({
      status: 'CANCELLED',
    });

    // Partners: activated, failed, suspended, reactivated.
    const { partner } = await provisionPartner(ctx, token);
    expect(partner.status).toBe('ACTIVE');
    expected.set('partner.activated', partner.id);
    const failing = await call(ctx, 'POST', '/v1/tenant/partners', {
      token,
      body: partnerBody({ name: `FAIL-${Date.now()}` }),
    });
    expect((await waitForPartner(ctx, token, failing.body.id)).status).toBe('FAILED');
    expected.set('partner.failed', failing.body.id);
    expect((await call(ctx, 'POST', `/v1/tenant/partners/${partner.id}/suspend`, { token })).status).toBe(
      200,
    );
    expected.set('partner.suspended', partner.id);
    expect((await call(ctx, 'POST', `/v1/tenant/partners/${partner.id}/reactivate`, { token })).status).toBe(
      200,
    );
    expected.set('partner.reactivated', partner.id);

    // A completed onboarding batch.
    const batch = await call(ctx, 'POST', '/v1/tenant/onboarding-batches', {
      token,
      body: {
        rows: [{ name: 'Batch One', adminEmail: uniqueEmail('batch'), adminName: 'B', currencies: ['USD'] }],
      },
    });
    expect(batch.status, JSON.stringify(batch.body)).toBe(202);
    expected.set('onboarding.completed', batch.body.id);

    // A member invitation.
    const invited = await call(ctx, 'POST', '/v1/workspace/invitations', {
      token,
      body: { email: uniqueEmail('invited'), roleId: tenant.roles.Finance },
    });
    expect(invited.status).toBe(202);
    expected.set('member.invited', invited.body.id);

    const events = await waitUntil(async () => {
      const got = received.filter((r) => r.path === path).map((r) => verified(secret, r));
      return [...expected.keys()].every((type) => got.some((e) => e.type === type)) ? got : null;
    }, 'every event type');
    for (const [type, id] of expected) {
      const matching = events.filter((e) => e.type === type && e.data.id === id);
      expect(matching.length, type).toBeGreaterThanOrEqual(1);
      expect(new Set(matching.map((e) => e.id)).size, `${type} is one event`).toBe(1);
      expect(matching[0]).toMatchObject({ tenantId: tenant.tenantId, createdAt: expect.any(String) });
    }
    expect(events.find((e) => e.type === 'transfer.completed').data).toMatchObject({
      id: done.body.id,
      status: 'COMPLETED',
      amount: 1_234,
      workflowId: `transfer-${done.body.id}`,
    });
    expect(events.find((e) => e.type === 'transfer.failed').data).toMatchObject({
      failureCode: 'CHANNEL_REJECTED',
    });
    expect(events.find((e) => e.type === 'onboarding.completed').data).toMatchObject({ succeeded: 1 });
    // A changed body or another secret is refused by the verifier.
    const one = received.find((r) => r.path === path)!;
    expect(() => verified(secret, { ...one, body: one.body.replace('"', ' "') })).toThrow();
    expect(() => verified('whsec_' + Buffer.alloc(24, 1).toString('base64'), one)).toThrow();

    // The failed transfer is findable in Temporal's list by its business status.
    const failed = await waitUntil(async () => {
      const ids: string[] = [];
      for await (const wf of ctx.temporal.workflow.list({
        query: `TenantId = "${tenant.tenantId}" AND OperationStatus = "FAILED" AND WorkflowType = "executeTransferWorkflow"`,
      })) {
        ids.push(wf.workflowId);
      }
      return ids.includes(`transfer-${rejected.body.id}`) ? ids : null;
    }, 'the failed transfer in the visibility list');
    expect(failed).toContain(`transfer-${rejected.body.id}`);
  });

  it('delivers transfer.approval_requested, merchant.application_submitted and merchant.activated, verifiable with standardwebhooks', async () => {
    const { tenant, a, walletA, walletB } = await fundedPair();
    const path = `/more-${tenant.tenantId}`;
    const secret = await subscribeTenant(tenant.admin.token, path, EVENT_TYPES);
    const expected = new Map<string, string>();

    const security = await call(ctx, 'PUT', '/v1/workspace/transfer-security', {
      token: a.admin.token,
      body: { approvalThresholds: [{ currency: 'USD', amount: 1_000 }], stepUpMfa: false },
    });
    expect(security.status, JSON.stringify(security.body)).toBe(200);
    const waiting = await postTransfer(ctx, a.admin.token, walletTransfer(walletA, walletB, 1_000));
    expect(waiting.body.status).toBe('PENDING_APPROVAL');
    expected.set('transfer.approval_requested', waiting.body.id);

    const { applicationId, merchant } = await approvedMerchant(ctx, tenant);
    expect(merchant.status).toBe('ACTIVE');
    expected.set('merchant.application_submitted', applicationId);
    expected.set('merchant.activated', merchant.id);

    const events = await waitUntil(async () => {
      const got = received.filter((r) => r.path === path).map((r) => verified(secret, r));
      return [...expected].every(([type, id]) => got.some((e) => e.type === type && e.data.id === id))
        ? got
        : null;
    }, 'the approval and merchant events');
    for (const [type, id] of expected) {
      const matching = events.filter((e) => e.type === type && e.data.id === id);
      expect(new Set(matching.map((e) => e.id)).size, `${type} is one event`).toBe(1);
      expect(matching[0]).toMatchObject({ tenantId: tenant.tenantId, createdAt: expect.any(String) });
    }
    expect(events.find((e) => e.type === 'transfer.approval_requested').data).toMatchObject({
      status: 'PENDING_APPROVAL',
      amount: 1_000,
    });
    expect(events.find((e) => e.type === 'merchant.activated').data).toMatchObject({ status: 'ACTIVE' });
  });

  it("a partner's endpoint receives only its own workspace's events; /v1/events likewise", async () => {
    const { tenant, a, b, walletA, walletB } = await fundedPair();
    const endpointA = await addEndpoint(a.admin.token, `/a-${a.workspaceId}`, ['transfer.completed']);
    const endpointB = await addEndpoint(b.admin.token, `/b-${b.workspaceId}`, ['transfer.completed']);
    const listed = await call(ctx, 'GET', '/v1/workspace/webhook-endpoints', { token: a.admin.token });
    expect(listed.body.data).toEqual([
      {
        id: endpointA.id,
        url: url(`/a-${a.workspaceId}`),
        events: ['transfer.completed'],
        enabled: true,
        createdAt: expect.any(String),
      },
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(endpointA.secret);

    const fromA = await postTransfer(ctx, a.admin.token, walletTransfer(walletA, walletB, 100));
    const fromB = await postTransfer(ctx, b.admin.token, walletTransfer(walletB, walletA, 200));
    const [gotA] = await requestsTo(`/a-${a.workspaceId}`);
    const [gotB] = await requestsTo(`/b-${b.workspaceId}`);
    expect(verified(endpointA.secret, gotA!).data.id).toBe(fromA.body.id);
    expect(verified(endpointB.secret, gotB!).data.id).toBe(fromB.body.id);
    expect(() => verified(endpointB.secret, gotA!)).toThrow();
    // Both deliveries are done: nothing else arrived at either endpoint.
    for (const [token, id] of [
      [a.admin.token, endpointA.id],
      [b.admin.token, endpointB.id],
    ] as const) {
      await waitUntil(async () => {
        const res = await call(ctx, 'GET', `/v1/workspace/webhook-endpoints/${id}/deliveries`, { token });
        return res.body.data.length === 1 && res.body.data[0].status === 'SUCCEEDED';
      }, 'the delivery');
    }
    expect(received.filter((r) => r.path === `/a-${a.workspaceId}`)).toHaveLength(1);
    expect(received.filter((r) => r.path === `/b-${b.workspaceId}`)).toHaveLength(1);

    const eventsA = await call(ctx, 'GET', '/v1/events', { token: a.admin.token });
    expect(eventsA.status).toBe(200);
    const idsA = eventsA.body.data.map((e: any) => e.data.id);
    expect(idsA).toContain(fromA.body.id);
    expect(idsA).not.toContain(fromB.body.id);
    expect(eventsA.body.data.every((e: any) => e.workspaceId === a.workspaceId)).toBe(true);
    const all = await call(ctx, 'GET', '/v1/events?type=transfer.completed', { token: tenant.admin.token });
    expect(all.body.data.map((e: any) => e.data.id)).toEqual([fromB.body.id, fromA.body.id]);
    const first = await call(ctx, 'GET', '/v1/events?type=transfer.completed&limit=1', {
      token: tenant.admin.token,
    });
    expect(first.body.data.map((e: any) => e.data.id)).toEqual([fromB.body.id]);
    const second = await call(
      ctx,
      'GET',
      `/v1/events?type=transfer.completed&limit=1&cursor=${first.body.nextCursor}`,
      { token: tenant.admin.token },
    );
    expect(second.body.data.map((e: any) => e.data.id)).toEqual([fromA.body.id]);
    expect(second.body.nextCursor).toBeNull();
    expectProblem(
      await call(ctx, 'GET', '/v1/events?type=money.printed', { token: a.admin.token }),
      400,
      'VALIDATION_FAILED',
    );
    // Another workspace's endpoint is not found; a member without settings.webhooks.edit is refused.
    expectProblem(
      await call(ctx, 'GET', `/v1/workspace/webhook-endpoints/${endpointA.id}/deliveries`, {
        token: b.admin.token,
      }),
      404,
      'NOT_FOUND',
    );
    const finance = await createMember(ctx, a, 'Finance');
    expectProblem(await call(ctx, 'GET', '/v1/events', { token: finance.token }), 403, 'FORBIDDEN');
    expectProblem(
      await call(ctx, 'GET', '/v1/workspace/webhook-endpoints', { token: finance.token }),
      403,
      'FORBIDDEN',
    );
  });

  it('an event nothing wants is stored dispatched and starts no workflow; one with a subscriber is delivered', async () => {
    const { tenant, a, walletA, walletB } = await fundedPair();
    const eventOf = async (transferId: string) => {
      const [row] = await ctx.orm.em
        .fork()
        .execute<{ id: string; dispatched_at: string | null }[]>(
          `select id, dispatched_at from event where type = 'transfer.completed' and data->>'id' = ?`,
          [transferId],
        );
      return row!;
    };
    const dispatchRun = (eventId: string) =>
      ctx.temporal.workflow.getHandle(eventDispatchWorkflowId(eventId)).describe();

    // No tenant subscription, no endpoint in A's workspace, no mail for this type: dispatched when recorded.
    const unwanted = await postTransfer(ctx, a.admin.token, walletTransfer(walletA, walletB, 100));
    expect(unwanted.status, JSON.stringify(unwanted.body)).toBe(201);
    const quiet = await eventOf(unwanted.body.id);
    expect(quiet.dispatched_at).not.toBeNull();

    const endpoint = await addEndpoint(a.admin.token, `/wanted-${a.workspaceId}`, ['transfer.completed']);
    const wanted = await postTransfer(ctx, a.admin.token, walletTransfer(walletA, walletB, 200));
    const [got] = await requestsTo(`/wanted-${a.workspaceId}`);
    expect(verified(endpoint.secret, got!).data.id).toBe(wanted.body.id);
    const delivered = await eventOf(wanted.body.id);
    expect((await dispatchRun(delivered.id)).status.name).toBe('COMPLETED');
    // By now a dispatch started for the first event would exist too.
    await expect(dispatchRun(quiet.id)).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect(received.filter((r) => r.path === `/wanted-${a.workspaceId}`)).toHaveLength(1);

    // GET /v1/events still lists both.
    const listed = await call(ctx, 'GET', '/v1/events?type=transfer.completed', {
      token: tenant.admin.token,
    });
    expect(listed.body.data.map((e: any) => e.data.id)).toEqual([wanted.body.id, unwanted.body.id]);
  });

  it('retries a failing receiver with the same webhook-id, lists the attempts, resends on manual retry, stops when disabled or deleted', async () => {
    const { a, walletA, walletB } = await fundedPair();
    const path = `/flaky-${a.workspaceId}`;
    failFirst[path] = 2;
    const endpoint = await addEndpoint(a.admin.token, path, ['transfer.completed']);
    const transfer = await postTransfer(ctx, a.admin.token, walletTransfer(walletA, walletB, 300));
    const tries = await requestsTo(path, 3);
    const events = tries.map((r) => verified(endpoint.secret, r));
    expect(new Set(tries.map((r) => r.headers['webhook-id']))).toEqual(new Set([events[0].id]));
    expect(events[0].data.id).toBe(transfer.body.id);
    const deliveriesPath = `/v1/workspace/webhook-endpoints/${endpoint.id}/deliveries`;
    const delivery = await waitUntil(async () => {
      const res = await call(ctx, 'GET', deliveriesPath, { token: a.admin.token });
      return res.body.data[0]?.status === 'SUCCEEDED' ? res.body.data[0] : null;
    }, 'a succeeded delivery');
    expect(delivery).toMatchObject({
      eventId: events[0].id,
      eventType: 'transfer.completed',
      attempts: 3,
      lastStatusCode: 204,
      lastAttemptAt: expect.any(String),
      nextAttemptAt: null,
    });
    const [attempts] = await ctx.orm.em
      .fork()
      .execute<any[]>(
        `select array_agg(status_code order by attempt) as codes from webhook_attempt where delivery_id = ?`,
        [delivery.id],
      );
    expect(attempts.codes).toEqual([503, 503, 204]);

    // Manual retry: the same event again, same webhook-id.
    const retry = await call(ctx, 'POST', `${deliveriesPath}/${delivery.id}/retry`, { token: a.admin.token });
    expect(retry.status).toBe(202);
    const again = await requestsTo(path, 4);
    expect(again[3]!.headers['webhook-id']).toBe(events[0].id);
    expect(verified(endpoint.secret, again[3]!).id).toBe(events[0].id);
    await waitUntil(async () => {
      const res = await call(ctx, 'GET', `${deliveriesPath}?status=SUCCEEDED`, { token: a.admin.token });
      return res.body.data[0]?.attempts === 4;
    }, 'the retry recorded');
    expectProblem(
      await call(ctx, 'POST', `${deliveriesPath}/${crypto.randomUUID()}/retry`, { token: a.admin.token }),
      404,
      'NOT_FOUND',
    );

    // Disabled: the next event makes no delivery for it.
    const patched = await call(ctx, 'PATCH', `/v1/workspace/webhook-endpoints/${endpoint.id}`, {
      token: a.admin.token,
      body: { enabled: false },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ enabled: false });
    const quiet = await postTransfer(ctx, a.admin.token, walletTransfer(walletA, walletB, 400));
    await waitUntil(async () => {
      const [row] = await ctx.orm.em
        .fork()
        .execute(`select dispatched_at from event where type = 'transfer.completed' and data->>'id' = ?`, [
          quiet.body.id,
        ]);
      return row?.dispatched_at;
    }, 'the event dispatched');
    const afterDisable = await call(ctx, 'GET', deliveriesPath, { token: a.admin.token });
    expect(afterDisable.body.data).toHaveLength(1);
    expectProblem(
      await call(ctx, 'POST', `${deliveriesPath}/${delivery.id}/retry`, { token: a.admin.token }),
      409,
      'CONFLICT',
    );

    // Deleted: gone with its deliveries.
    const deleted = await call(ctx, 'DELETE', `/v1/workspace/webhook-endpoints/${endpoint.id}`, {
      token: a.admin.token,
    });
    expect(deleted.status).toBe(204);
    expectProblem(await call(ctx, 'GET', deliveriesPath, { token: a.admin.token }), 404, 'NOT_FOUND');
    const [audit] = await ctx.orm.em
      .fork()
      .execute<any[]>(
        `select count(*)::int as n from audit_log where target_id = ? and action like 'webhook_%'`,
        [endpoint.id],
      );
    expect(audit.n).toBe(3);
  });

  it('mails the tenant admins about partner.failed when emailEnabled is on', async () => {
    const tenant = await createTenant(ctx);
    const saved = await call(ctx, 'PUT', '/v1/tenant/notification-settings', {
      token: tenant.admin.token,
      body: { webhookUrl: null, events: [], emailEnabled: true },
    });
    expect(saved.status).toBe(200);
    const failing = await call(ctx, 'POST', '/v1/tenant/partners', {
      token: tenant.admin.token,
      body: partnerBody({ name: `FAIL-mail-${Date.now()}` }),
    });
    expect((await waitForPartner(ctx, tenant.admin.token, failing.body.id)).status).toBe('FAILED');
    const [mail] = await outboxMails(ctx, tenant.admin.email);
    expect(mail).toMatchObject({ subject: 'A partner could not be provisioned' });
    expect(mail!.text).toContain(failing.body.id);
  });

  it("a transfer workflow's description carries a human summary for operators", async () => {
    const { a, walletA, walletB } = await fundedPair();
    const res = await postTransfer(ctx, a.admin.token, walletTransfer(walletA, walletB, 1_234));
    expect(res.body.workflowId).toBe(`transfer-${res.body.id}`);
    const description = await ctx.temporal.workflow.getHandle(res.body.workflowId).describe();
    expect(await description.staticSummary()).toBe(
      `Transfer 12.34 USD, wallet ${walletA} to wallet ${walletB}`,
    );
    expect(await description.staticDetails()).toContain(`Transfer ${res.body.id}`);
    const got = await call(ctx, 'GET', `/v1/transfers/${res.body.id}`, { token: a.admin.token });
    expect(got.body.workflowId).toBe(res.body.workflowId);
  });
});

describe('webhook URLs without ALLOW_HTTP_WEBHOOKS', () => {
  const strict = useTestContext({ worker: false, env: { ALLOW_HTTP_WEBHOOKS: '0' } });

  it('refuses private, loopback and link-local targets and plain http with 400, creating nothing', async () => {
    const tenant = await createTenant(strict);
    // Private targets, and a public one over plain http.
    for (const url of [...PRIVATE_WEBHOOK_TARGETS, 'http://93.184.216.34/hook']) {
      const res = await call(strict, 'POST', '/v1/workspace/webhook-endpoints', {
        token: tenant.admin.token,
        body: { url, events: ['transfer.completed'] },
      });
      const problem = expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(problem.errors[0].path, url).toBe('body.url');
      expectProblem(
        await call(strict, 'PUT', '/v1/tenant/notification-settings', {
          token: tenant.admin.token,
          body: { webhookUrl: url, events: ['transfer.completed'], emailEnabled: false },
        }),
        400,
        'VALIDATION_FAILED',
      );
    }
    const list = await call(strict, 'GET', '/v1/workspace/webhook-endpoints', { token: tenant.admin.token });
    expect(list.body.data).toEqual([]);
  });
});
