// Data errors are never retried: a transfer whose memo PostgreSQL cannot store (bypassing the API's input
// guard) fails its hold activity on the first attempt, and the workflow answers the refusal.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TransferRequest } from '../../domain/transfers/contract';
import type { executeTransferWorkflow } from '../../workflows/execute-transfer';
import { useTestContext } from '../helpers/context';
import { fundedWalletPair } from '../helpers/wallets';

const ctx = useTestContext();

async function fundedTransfer(memo: string): Promise<TransferRequest> {
  const { tenant, partner, source, dest } = await fundedWalletPair(ctx, 1_000);
  return {
    transferId: randomUUID(),
    tenantId: tenant.tenantId,
    workspaceId: partner.workspaceId,
    actorUserId: partner.admin.userId,
    sourceWalletId: source,
    amount: '10',
    currency: 'USD',
    destination: { type: 'WALLET', walletId: dest },
    reference: null,
    memo,
    idempotencyKey: randomUUID(),
  };
}

describe('the activity interceptor', () => {
  it('makes a PostgreSQL data error (NUL in a memo) non-retryable: one attempt, refusal VALIDATION_FAILED', async () => {
    const request = await fundedTransfer('memo with a NUL \u0000 byte');
    const handle = await ctx.temporal.workflow.start<typeof executeTransferWorkflow>(
      'executeTransferWorkflow',
      {
        taskQueue: ctx.taskQueue,
        workflowId: `transfer-${request.transferId}`,
        args: [{ request, confirmTimeoutMs: 5_000 }],
      },
    );
    const outcome = await handle.result();
    expect(outcome).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });

    const { events } = await handle.fetchHistory();
    // An INTERNAL transfer holds in a local activity: its one attempt is a marker, no activity task is scheduled.
    expect(events!.flatMap((e) => e.activityTaskScheduledEventAttributes ?? [])).toEqual([]);
    const markers = events!.flatMap((e) => e.markerRecordedEventAttributes ?? []);
    const localActivities = markers.filter((m) => m.markerName === 'core_local_activity');
    expect(localActivities).toHaveLength(1);
    const data = JSON.parse(
      Buffer.from(localActivities[0]!.details!.data!.payloads![0]!.data!).toString('utf8'),
    ) as { activity_type: string; attempt: number };
    expect(data).toMatchObject({ activity_type: 'holdTransferFunds', attempt: 1 });
    const failure = localActivities[0]!.failure!;
    expect(failure.applicationFailureInfo).toMatchObject({ type: 'VALIDATION_FAILED', nonRetryable: true });
    expect(failure.message).toMatch(/SQLSTATE (22021|08P01)/); // NUL: 08P01 in inlined SQL, 22021 as a parameter
  });
});
