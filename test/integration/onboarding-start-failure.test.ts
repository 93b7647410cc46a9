// Acceptance 5 of #10 for onboarding batches. The start policy: the batch workflow is started first, then the
// rows are committed, then the workflow is signalled. A failed start stores nothing; a workflow whose rows were
// never committed settles the batch CANCELLED (a late commit then fails); a workflow whose signal was lost finds
// the committed rows itself. No batch stays RUNNING for ever.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createOnboardingBatch } from '../../domain/onboarding/create-onboarding-batch';
import { onboardingBatchWorkflowId } from '../../domain/onboarding/contract';
import { useTestContext } from '../helpers/context';
import { call } from '../helpers/http';
import { createTenant, type WorkspaceFixture } from '../helpers/factories';
import { batchWorkflowInput, startBatchWorkflow } from '../helpers/onboarding';
import { withFailingStarts } from '../helpers/partners';

const ctx = useTestContext();

function rowsFor(tag: string, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    name: `Start ${tag} ${i + 1}`,
    adminEmail: `start-${tag}-${i + 1}@example.test`,
    adminName: `Admin ${i + 1}`,
    currencies: ['USD'],
  }));
}

const storeBatch = (tenant: WorkspaceFixture, batchId: string, rows: unknown[]) =>
  createOnboardingBatch(
    ctx.orm.em.fork(),
    { batchId, tenantId: tenant.tenantId, workflowId: onboardingBatchWorkflowId(batchId), rows },
    {
      userId: tenant.admin.userId,
      tenantId: tenant.tenantId,
      workspaceId: tenant.workspaceId,
      workspaceKind: 'TENANT',
      permissions: new Set(),
      ip: null,
      requestId: null,
    },
  );

async function batchRow(batchId: string) {
  const [row] = await ctx.orm.em
    .fork()
    .execute<{ status: string; total: number; completed_at: Date | null }[]>(
      'select status, total, completed_at from onboarding_batch where id = ?',
      [batchId],
    );
  return row;
}

describe('onboarding batch start policy', () => {
  it('stores nothing when the workflow start fails', async () => {
    const tenant = await createTenant(ctx);
    const res = await call(withFailingStarts(ctx), 'POST', '/v1/tenant/onboarding-batches', {
      token: tenant.admin.token,
      body: { rows: rowsFor(randomUUID().slice(0, 6), 3) },
    });
    expect(res.status).toBeGreaterThanOrEqual(500);
    const em = ctx.orm.em.fork();
    expect(
      await em.execute('select id from onboarding_batch where tenant_id = ?', [tenant.tenantId]),
    ).toEqual([]);
    expect(await em.execute('select id from partner where tenant_id = ?', [tenant.tenantId])).toEqual([]);
  });

  it('settles a batch whose rows were never committed as CANCELLED, and a late commit then fails', async () => {
    const tenant = await createTenant(ctx);
    const batchId = randomUUID();
    const handle = await startBatchWorkflow(ctx, batchWorkflowInput(tenant, batchId, { storeWaitMs: 1_000 }));
    expect(await handle.result()).toBe('ABANDONED');
    const settled = await batchRow(batchId);
    expect(settled).toMatchObject({ status: 'CANCELLED', total: 0 });
    expect(settled!.completed_at).not.toBeNull();

    await expect(storeBatch(tenant, batchId, rowsFor(randomUUID().slice(0, 6), 2))).rejects.toThrow();
    expect(await batchRow(batchId)).toMatchObject({ status: 'CANCELLED', total: 0 });
    const rows = await ctx.orm.em
      .fork()
      .execute('select row_number from onboarding_batch_row where batch_id = ?', [batchId]);
    expect(rows).toEqual([]);
  });

  it('runs a committed batch whose "stored" signal never came', async () => {
    const tenant = await createTenant(ctx);
    const batchId = randomUUID();
    const handle = await startBatchWorkflow(ctx, batchWorkflowInput(tenant, batchId, { storeWaitMs: 1_000 }));
    await storeBatch(tenant, batchId, rowsFor(randomUUID().slice(0, 6), 2));
    expect(await handle.result()).toBe('COMPLETED');
    expect(await batchRow(batchId)).toMatchObject({ status: 'COMPLETED', total: 2 });
    const statuses = await ctx.orm.em
      .fork()
      .execute<{ status: string }[]>(
        'select status from onboarding_batch_row where batch_id = ? order by row_number',
        [batchId],
      );
    expect(statuses.map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });
});
