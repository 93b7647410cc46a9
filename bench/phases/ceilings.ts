// The Temporal ceilings: the bench's empty and saga-shape workflows started with Update-with-Start, as the
// transfer route starts a transfer, on the same server with the app's worker options (bench-ceiling queue).
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { operationAttributes } from '../../workflows/search-attributes';
import { ceilingOutcomeUpdate, type emptyWorkflow } from '../ceiling/workflows';
import { historySummary } from '../lib/evidence';
import { closedLoop, type LoadResult } from '../lib/load';
import { observe, type BenchContext } from '../lib/context';
import { CEILING_TASK_QUEUE } from '../lib/stack';

type CeilingWorkflow = 'emptyWorkflow' | 'sagaShapeWorkflow';

async function startAndAwait(ctx: BenchContext, type: CeilingWorkflow, done: string[]) {
  const workflowId = `bench-${type}-${randomUUID()}`;
  const start = new WithStartWorkflowOperation<typeof emptyWorkflow>(type, {
    taskQueue: CEILING_TASK_QUEUE,
    workflowId,
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    typedSearchAttributes: operationAttributes(ctx.tenant.tenantId, ctx.partners[0]!.workspaceId),
    args: [],
  });
  const outcome = await ctx.temporal.workflow.executeUpdateWithStart(ceilingOutcomeUpdate, {
    startWorkflowOperation: start,
  });
  if (!outcome.ok) throw new Error('unexpected outcome');
  done.push(workflowId);
}

async function ceilingRun(ctx: BenchContext, type: CeilingWorkflow, clients: number, ms: number) {
  const done: string[] = [];
  const name = `${type}-c${clients}`;
  const { result, observed } = await observe(
    ctx,
    name,
    () =>
      closedLoop({
        clients,
        durationMs: ms,
        warmupMs: ctx.sizes.warmupMs,
        op: () => startAndAwait(ctx, type, done),
      }),
    (r: LoadResult) => r.ops,
  );
  const step = Math.max(1, Math.floor(done.length / 20));
  const sample = done.filter((_, i) => i % step === 0).slice(0, 20);
  return { ...result, workflow: await historySummary(ctx.temporal, sample), observed };
}

/** At the bench's client count and at one client. */
export async function ceiling(ctx: BenchContext, type: CeilingWorkflow) {
  const many = await ceilingRun(ctx, type, ctx.sizes.clients, ctx.sizes.loadMs);
  const one = await ceilingRun(ctx, type, 1, ctx.sizes.oneClientMs);
  return { many, one };
}
