import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { batchStoredSignal } from '../../domain/onboarding/contract';
import { SYSTEM_ROLES } from '../../domain/permissions';
import { useTestContext } from '../helpers/context';
import { call, expectProblem } from '../helpers/http';
import { createTenant } from '../helpers/factories';
import { batchWorkflowInput, startBatchWorkflow, storePendingBatch } from '../helpers/onboarding';

const ctx = useTestContext({ env: { ONBOARDING_CONCURRENCY: '1' } });

async function rows(sql: string, params: unknown[] = []): Promise<any[]> {
  return ctx.orm.em.fork().execute(sql, params);
}

function batchRows(count: number, tag: string) {
  return Array.from({ length: count }, (_, i) => ({
    name: `Bulk ${tag} ${i + 1}`,
    adminEmail: `cancel-${tag}-${i + 1}@example.test`,
    adminName: `Admin ${i + 1}`,
    currencies: ['USD'],
  }));
}

async function waitForBatch(token: string, id: string): Promise<any> {
  for (let attempt = 0; attempt < 1200; attempt++) {
    const res = await call(ctx, 'GET', `/v1/tenant/onboarding-batches/${id}`, { token });
    if (res.body.completedAt) return res.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`batch ${id} did not finish`);
}

describe('cancelling a batch', () => {
  it('skips the rows not yet started; started rows finish; nothing else is created', async () => {
    const tenant = await createTenant(ctx);
    const token = tenant.admin.token;
    const res = await call(ctx, 'POST', '/v1/tenant/onboarding-batches', {
      token,
      body: { rows: batchRows(60, randomUUID().slice(0, 6)) },
    });
    expect(res.status).toBe(202);
    const cancelled = await call(ctx, 'POST', `/v1/tenant/onboarding-batches/${res.body.id}/cancel`, {
      token,
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('CANCELLED');
    expect(cancelled.body.skipped).toBeGreaterThanOrEqual(55);

    const done = await waitForBatch(token, res.body.id);
    expect(done.status).toBe('CANCELLED');
    expect(done.pending).toBe(0);
    expect(done.succeeded + done.failed + done.skipped).toBe(60);
    const skipped = (
      await call(ctx, 'GET', `/v1/tenant/onboarding-batches/${res.body.id}/rows?status=SKIPPED&limit=1000`, {
        token,
      })
    ).body.data;
    expect(skipped).toHaveLength(done.skipped);
    expect(skipped.every((r: any) => r.partnerId === null && r.error === 'the batch was cancelled')).toBe(
      true,
    );
    const partners = await rows(`select id from partner where tenant_id = ? and status = 'ACTIVE'`, [
      tenant.tenantId,
    ]);
    expect(partners).toHaveLength(done.succeeded);
    expect(
      await rows(`select id from partner where tenant_id = ? and status <> 'ACTIVE'`, [tenant.tenantId]),
    ).toEqual([]);
    expect(await ctx.temporal.workflow.getHandle(res.body.workflowId).result()).toBe('CANCELLED');

    const again = await call(ctx, 'POST', `/v1/tenant/onboarding-batches/${res.body.id}/cancel`, { token });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(done);
  });

  it('takes a batch of 10,000 rows, validates every row, and cancels it', async () => {
    const tenant = await createTenant(ctx);
    const token = tenant.admin.token;
    const tag = randomUUID().slice(0, 6);
    const input = batchRows(10_000, tag);
    input[9_999] = { ...input[0]! };
    const csv = [
      'name,adminEmail,adminName,currencies',
      ...input.map((r) => `${r.name},${r.adminEmail},${r.adminName},${r.currencies.join(';')}`),
    ].join('\n');
    const res = await call(ctx, 'POST', '/v1/tenant/onboarding-batches', {
      token,
      headers: { 'content-type': 'text/csv' },
      rawBody: csv,
    });
    expect(res.status).toBe(202);
    expect(res.body.total).toBe(10_000);
    const cancelled = await call(ctx, 'POST', `/v1/tenant/onboarding-batches/${res.body.id}/cancel`, {
      token,
    });
    expect(cancelled.body.skipped).toBeGreaterThan(9_900);
    const done = await waitForBatch(token, res.body.id);
    expect(done.succeeded + done.failed + done.skipped).toBe(10_000);
    const [last] = (
      await call(ctx, 'GET', `/v1/tenant/onboarding-batches/${res.body.id}/rows?status=FAILED`, { token })
    ).body.data.filter((r: any) => r.rowNumber === 10_000);
    expect(last.error).toMatch(/already used by row 1\b/);

    const tooMany = [...input, input[1]!].map((r) => ({ ...r, adminEmail: `x${randomUUID()}@example.test` }));
    expectProblem(
      await call(ctx, 'POST', '/v1/tenant/onboarding-batches', { token, body: { rows: tooMany } }),
      400,
      'VALIDATION_FAILED',
    );
  }, 120_000);
});

describe('onboarding workflow', () => {
  it('continues as new after each page of rows and still provisions every row', async () => {
    const tenant = await createTenant(ctx);
    const batchId = randomUUID();
    const tag = randomUUID().slice(0, 6);
    const input = batchRows(7, tag);
    await storePendingBatch(ctx, tenant, batchId, input);
    const handle = await startBatchWorkflow(ctx, batchWorkflowInput(tenant, batchId, { rowsPerRun: 3 }));
    await handle.signal(batchStoredSignal);
    const first = await handle.describe();
    expect(await ctx.temporal.workflow.getHandle(handle.workflowId).result()).toBe('COMPLETED');
    const firstRun = await ctx.temporal.workflow.getHandle(handle.workflowId, first.runId).describe();
    expect(firstRun.status.name).toBe('CONTINUED_AS_NEW');
    const statuses = await rows(
      'select status from onboarding_batch_row where batch_id = ? order by row_number',
      [batchId],
    );
    expect(statuses.map((r) => r.status)).toEqual(Array(7).fill('SUCCEEDED'));
    const [workspaces] = await rows(
      `select count(*) as n from workspace where tenant_id = ? and kind = 'PARTNER'`,
      [tenant.tenantId],
    );
    expect(Number(workspaces!.n)).toBe(7);
    const [roles] = await rows(
      `select count(*) as n from role r join workspace w on w.id = r.workspace_id where w.tenant_id = ? and w.kind = 'PARTNER'`,
      [tenant.tenantId],
    );
    expect(Number(roles!.n)).toBe(7 * SYSTEM_ROLES.length);
  });
});
