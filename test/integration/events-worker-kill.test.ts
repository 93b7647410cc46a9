// The process that commits a transfer's completion dies before it can start the event's dispatch: the event is
// in the outbox (same transaction as the completion) and the event sweep delivers it, exactly once.
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index';
import { openOrm } from '../../db/orm';
import { createLogger } from '../../domain/logger';
import { transferIdFor } from '../../domain/transfers';
import { useTestContext } from '../helpers/context';
import { createPartnerWorkspace, createTenant } from '../helpers/factories';
import { call } from '../helpers/http';
import { stopWorker, waitUntil } from '../helpers/payouts';
import { createWallet, deposit, postTransfer, walletTransfer } from '../helpers/wallets';
import { useWebhookReceiver } from '../helpers/webhook-receiver';

const ctx = useTestContext({ worker: false });
const { received, url } = useWebhookReceiver();
/** An ORM without the commit hook: what committed through it never starts a dispatch (its process "died"). */
let bareOrm: MikroORM;

beforeAll(async () => {
  bareOrm = await openOrm(ctx.config.DATABASE_URL, { poolMax: 2 });
});
afterAll(async () => {
  await bareOrm?.close();
});

async function sweep(tenantId: string) {
  await ctx.temporal.workflow.execute('sweepEventsWorkflow', {
    taskQueue: ctx.taskQueue,
    workflowId: `test-event-sweep-${randomUUID()}`,
    args: [{ tenantId }],
  });
}

describe('killing the worker right after a transfer completes', () => {
  it('still delivers exactly one transfer.completed (the sweep picks up the undispatched event)', async () => {
    const setupWorker = await ctx.startWorker();
    const tenant = await createTenant(ctx);
    const a = await createPartnerWorkspace(ctx, tenant.tenantId, 'A');
    const b = await createPartnerWorkspace(ctx, tenant.tenantId, 'B');
    const source = await createWallet(ctx, a);
    const dest = await createWallet(ctx, b);
    await deposit(ctx, tenant, source, 10_000);
    const path = `/kill-${tenant.tenantId}`;
    const settings = await call(ctx, 'PUT', '/v1/tenant/notification-settings', {
      token: tenant.admin.token,
      body: { webhookUrl: url(path), events: ['transfer.completed'], emailEnabled: false },
    });
    expect(settings.status).toBe(200);
    const secret = settings.body.webhookSecret as string;
    await stopWorker(setupWorker);

    // This worker posts the transfer (commit; its retry records nothing more) through an ORM with no commit hook,
    // so no dispatch starts, and then it stops: as if its process died right after the commit.
    const bare = createActivities({
      orm: bareOrm,
      config: ctx.config,
      logger: createLogger('silent'),
      temporal: ctx.temporal,
    });
    let committed!: () => void;
    const reached = new Promise<void>((resolve) => (committed = resolve));
    const doomed = await ctx.startWorker({
      postTransfer: async (input: any) => {
        await bare.postTransfer(input);
        const again = await bare.postTransfer(input);
        committed();
        return again;
      },
    });
    const key = randomUUID();
    const transferId = transferIdFor(a.workspaceId, key);
    // The answer waits for the post (INTERNAL transfers answer once settled).
    const answer = postTransfer(ctx, a.admin.token, walletTransfer(source, dest, 500), key);
    await reached;
    await stopWorker(doomed);
    const events = () =>
      ctx.orm.em
        .fork()
        .execute<{ id: string; dispatched_at: Date | null }[]>(
          `select id, dispatched_at from event where type = 'transfer.completed' and data->>'id' = ?`,
          [transferId],
        );
    const [event] = await events();
    expect(event).toMatchObject({ dispatched_at: null });

    // The transfer is COMPLETED; only the sweep (run by a fresh worker) dispatches its event.
    await ctx.startWorker();
    expect((await answer).body).toMatchObject({ id: transferId, status: 'COMPLETED' });
    await waitUntil(
      async () => {
        await sweep(tenant.tenantId);
        if (received.some((r) => r.path === path)) return true;
        await new Promise((r) => setTimeout(r, 1_000));
        return false;
      },
      'the swept delivery',
      90_000,
    );
    const [transfer] = await ctx.orm.em
      .fork()
      .execute('select status from transfer where id = ?', [transferId]);
    expect(transfer).toEqual({ status: 'COMPLETED' });
    await waitUntil(async () => {
      const [row] = await ctx.orm.em
        .fork()
        .execute(`select status from webhook_delivery where event_id = ?`, [event!.id]);
      return row?.status === 'SUCCEEDED';
    }, 'the delivery recorded');
    await sweep(tenant.tenantId);

    expect(await events()).toHaveLength(1);
    const got = received.filter((r) => r.path === path);
    expect(got).toHaveLength(1);
    const payload = new Webhook(secret).verify(got[0]!.body, {
      'webhook-id': String(got[0]!.headers['webhook-id']),
      'webhook-timestamp': String(got[0]!.headers['webhook-timestamp']),
      'webhook-signature': String(got[0]!.headers['webhook-signature']),
    }) as any;
    expect(payload).toMatchObject({ id: event!.id, type: 'transfer.completed', data: { id: transferId } });
  }, 180_000);
});
