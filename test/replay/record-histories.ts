// Records the histories the replay test replays: runs every workflow type for real through the API (real
// PostgreSQL, Temporal, worker), then stores each history under test/replay/histories/<workflowType>/.
// Run by `npm run replay:refresh` (scripts/refresh-histories.ts); not part of `npm test`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context';
import { call } from '../helpers/http';
import { createTenant, TEST_PASSWORD, uniqueEmail } from '../helpers/factories';
import { createPartner, provisionPartner } from '../helpers/partners';
import { apply, approvedMerchant } from '../helpers/merchants';
import {
  bankTransfer,
  createWallet,
  deposit,
  postTransfer,
  waitForTransfer,
  walletTransfer,
} from '../helpers/wallets';
import { eventually } from '../integration/messaging-helpers';
import { HISTORIES_DIR, historyToJson, WORKFLOW_TYPES } from './history-files';

const PLATFORM_TOKEN = 'test-platform-admin-token-0123456789';
const ADMIN_PASSWORD = 'replay tenant admin password';

const ctx = useTestContext({ env: { CHANNEL_CONFIRM_TIMEOUT: '30s' } });

let receiver: Server;
let receiverUrl: string;
/** Every secret the scenarios handle; none may appear in a stored history. */
const secrets = new Set<string>([PLATFORM_TOKEN, ADMIN_PASSWORD, TEST_PASSWORD]);

beforeAll(async () => {
  receiver = createServer((req, res) => req.resume().on('end', () => res.writeHead(204).end()));
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});

afterAll(() => new Promise((resolve) => receiver.close(resolve)));

async function runScenarios(): Promise<void> {
  const created = await call(ctx, 'POST', '/v1/platform/tenants', {
    headers: { authorization: `Bearer ${PLATFORM_TOKEN}` },
    body: {
      name: 'Replay Bank',
      adminEmail: uniqueEmail('replay'),
      adminName: 'Ray',
      adminPassword: ADMIN_PASSWORD,
    },
  });
  expect(created.status).toBe(201);

  const tenant = await createTenant(ctx);
  secrets.add(tenant.admin.token);
  const settings = await call(ctx, 'PUT', '/v1/tenant/notification-settings', {
    token: tenant.admin.token,
    body: { webhookUrl: receiverUrl, events: ['transfer.completed', 'transfer.failed'], emailEnabled: false },
  });
  expect(settings.status).toBe(200);
  if (typeof settings.body.signingSecret === 'string') secrets.add(settings.body.signingSecret);
  if (typeof settings.body.webhookSecret === 'string') secrets.add(settings.body.webhookSecret);

  await provisionPartner(ctx, tenant.admin.token);
  const batch = await call(ctx, 'POST', '/v1/tenant/onboarding-batches', {
    token: tenant.admin.token,
    body: {
      rows: [
        { name: 'Bulk One', adminEmail: uniqueEmail('bulk'), adminName: 'B', currencies: ['USD'] },
        { name: 'Bulk Bad', adminEmail: 'not-an-email', adminName: 'B', currencies: ['USD'] },
      ],
    },
  });
  expect(batch.status).toBe(202);

  const invited = await call(ctx, 'POST', '/v1/workspace/invitations', {
    token: tenant.admin.token,
    body: { email: uniqueEmail('invitee'), roleId: tenant.roles.Finance },
  });
  expect(invited.status).toBe(202);
  const reset = await call(ctx, 'POST', '/v1/auth/password-reset', { body: { email: tenant.admin.email } });
  expect(reset.status).toBe(202);

  // Merchant applications: approved and provisioned, rejected (the applicant mailed), one still waiting.
  await approvedMerchant(ctx, tenant, { currencies: ['USD'] });
  const rejected = await apply(ctx, tenant.tenantId);
  const rejection = await call(ctx, 'POST', `/v1/tenant/merchant-applications/${rejected.id}/reject`, {
    token: tenant.admin.token,
    body: { reason: 'replay' },
  });
  expect(rejection.status).toBe(200);
  await apply(ctx, tenant.tenantId);

  const partner = await createPartner(ctx, tenant.tenantId);
  secrets.add(partner.admin.token);
  const source = await createWallet(ctx, partner);
  const target = await createWallet(ctx, partner);
  await deposit(ctx, tenant, source, 100_000);
  const transfers = [
    await postTransfer(ctx, partner.admin.token, walletTransfer(source, target, 1_000)),
    await postTransfer(ctx, partner.admin.token, walletTransfer(source, target, 10_000_000)),
    await postTransfer(ctx, partner.admin.token, bankTransfer(source, '12345678', 2_000)),
  ];
  for (const res of transfers.filter((t) => t.status === 201 || t.status === 202)) {
    await waitForTransfer(ctx, partner.admin.token, res.body.id);
  }
  await waitForBatchEnd(tenant.admin.token, batch.body.id);
  await settleAndReconcile(transfers[2]!.body.id as string);
  await legacyAndSweep(tenant.tenantId);
}

/** The legacy per-notification workflow (nothing starts it any more; runs may be in flight) and one event sweep. */
async function legacyAndSweep(tenantId: string): Promise<void> {
  await ctx.temporal.workflow.execute('notifyTenantWorkflow', {
    taskQueue: ctx.taskQueue,
    workflowId: `tenant-notification-replay-${tenantId}`,
    args: [{ tenantId, event: 'transfer.completed', data: { id: 'replay' } }],
  });
  await ctx.temporal.workflow.execute('sweepEventsWorkflow', {
    taskQueue: ctx.taskQueue,
    workflowId: `event-sweep-replay-${tenantId}`,
    args: [{ tenantId }],
  });
}

/** The payout repair workflows: a late verdict agreeing with a closed payout, then one reconciliation pass. */
async function settleAndReconcile(bankTransferId: string): Promise<void> {
  await ctx.temporal.workflow.execute('settleLateVerdictWorkflow', {
    taskQueue: ctx.taskQueue,
    workflowId: `payout-verdict-${bankTransferId}-CONFIRMED-replay`,
    args: [{ transferId: bankTransferId, verdict: 'CONFIRMED' }],
  });
  await ctx.temporal.workflow.execute('reconcilePayoutsWorkflow', {
    taskQueue: ctx.taskQueue,
    workflowId: `payout-reconciliation-replay-${bankTransferId}`,
    args: [{ stuckAfterMs: 1_000, closedWithinMs: 3_600_000 }],
  });
  await ctx.temporal.workflow.execute('purgeExpiredRowsWorkflow', {
    taskQueue: ctx.taskQueue,
    workflowId: `expired-rows-cleanup-replay-${bankTransferId}`,
    args: [{ batchSize: 100, maxBatches: 2 }],
  });
}

async function waitForBatchEnd(token: string, id: string): Promise<void> {
  await eventually(async () => {
    const res = await call(ctx, 'GET', `/v1/tenant/onboarding-batches/${id}`, { token });
    return res.body.completedAt ? true : undefined;
  }, 60_000);
}

/** Every workflow this file's task queue ran, with its history (running ones too: they are replayed as is). */
async function collectHistories(): Promise<Map<string, { workflowId: string; json: string }[]>> {
  const byType = new Map<string, { workflowId: string; json: string }[]>();
  for await (const wf of ctx.temporal.workflow.list({ query: `TaskQueue = '${ctx.taskQueue}'` })) {
    const history = await ctx.temporal.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
    const list = byType.get(wf.type) ?? [];
    list.push({ workflowId: wf.workflowId, json: historyToJson(history) });
    byType.set(wf.type, list);
  }
  return byType;
}

function decoded(json: string): string {
  return json.replace(/"data":\s*"([A-Za-z0-9+/=]*)"/g, (_, b64: string) =>
    Buffer.from(b64, 'base64').toString(),
  );
}

it('records a history of every workflow type', { timeout: 300_000 }, async () => {
  await runScenarios();
  // Let workflows started last (notifications, the sandbox bank) reach a stable point.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const byType = await collectHistories();
  expect([...byType.keys()].sort()).toEqual(expect.arrayContaining([...WORKFLOW_TYPES].sort()));
  // Stored histories of older code are what guards running workflows: kept unless REPLAY_REFRESH_ALL=1.
  const refreshAll = process.env.REPLAY_REFRESH_ALL === '1';
  if (refreshAll) rmSync(HISTORIES_DIR, { recursive: true, force: true });
  for (const [type, histories] of byType) {
    const dir = join(HISTORIES_DIR, type);
    if (!refreshAll && existsSync(dir)) continue;
    mkdirSync(dir, { recursive: true });
    histories.sort((a, b) => a.workflowId.localeCompare(b.workflowId));
    histories.forEach(({ json }, index) => {
      const text = decoded(json);
      for (const secret of secrets) expect(text, `a secret in a ${type} history`).not.toContain(secret);
      expect(text).not.toContain('$argon2');
      writeFileSync(join(dir, `${String(index + 1).padStart(2, '0')}.json`), `${json}\n`);
    });
  }
  console.log(
    `[replay:refresh] ${[...byType].map(([type, h]) => `${type}: ${h.length}`).join(', ')} -> ${HISTORIES_DIR}`,
  );
});
