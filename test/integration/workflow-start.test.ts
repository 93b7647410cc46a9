// The one start policy (domain/workflow-start.ts): idempotent starts by ID, never inside a transaction, and the
// one translator of workflow failures into AppError codes.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, RetryState } from '@temporalio/common';
import { AppError } from '../../domain/errors';
import {
  signalWorkflow,
  startWorkflow,
  updateWorkflow,
  workflowFailure,
  type StartRequest,
} from '../../domain/workflow-start';
import { cancelOnboardingSignal } from '../../domain/onboarding/contract';
import { cancelTransferUpdate } from '../../domain/transfers/contract';
import type { notifyTenantWorkflow } from '../../workflows/notify-tenant';
import { useTestContext } from '../helpers/context';

// No worker: a started workflow simply waits on its task queue, which is all these tests need.
const ctx = useTestContext({ worker: false });

function notification(workflowId: string): StartRequest<typeof notifyTenantWorkflow> {
  return {
    workflowType: 'notifyTenantWorkflow',
    workflowId,
    args: [{ tenantId: randomUUID(), event: 'member.invited', data: {} }],
    searchScope: null,
  };
}

const starter = () => ({ temporal: ctx.temporal, taskQueue: ctx.taskQueue });

describe('startWorkflow', () => {
  it('starts a workflow once; a repeated start with the same ID is a no-op', async () => {
    const workflowId = `start-policy-${randomUUID()}`;
    const first = await startWorkflow(starter(), notification(workflowId));
    const second = await startWorkflow(starter(), notification(workflowId));
    expect(first).toEqual({ workflowId, started: true });
    expect(second).toEqual({ workflowId, started: false });
    await ctx.temporal.workflow.getHandle(workflowId).terminate('test done');
  });

  it('refuses to start inside an open database transaction, before anything reaches Temporal', async () => {
    const workflowId = `start-policy-${randomUUID()}`;
    await expect(
      ctx.orm.em.fork().transactional(() => startWorkflow(starter(), notification(workflowId))),
    ).rejects.toThrow(/inside an open database transaction/);
    await expect(ctx.temporal.workflow.getHandle(workflowId).describe()).rejects.toThrow(/not found/i);
  });

  it('runs onStartFailed and answers SERVICE_UNAVAILABLE when Temporal cannot be reached', async () => {
    const connection = Connection.lazy({ address: '127.0.0.1:1' });
    const unreachable = new Client({ connection, namespace: 'default' });
    const seen: unknown[] = [];
    const attempt = connection.withDeadline(Date.now() + 1500, () =>
      startWorkflow(
        { temporal: unreachable, taskQueue: ctx.taskQueue },
        notification(`start-policy-${randomUUID()}`),
        { onStartFailed: async (err) => void seen.push(err) },
      ),
    );
    const err = await attempt.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('SERVICE_UNAVAILABLE');
    expect(seen).toHaveLength(1);
  });
});

describe('signals and updates to a workflow that is gone', () => {
  it('a signal reports false, an update is CONFLICT unless the caller says what gone means', async () => {
    const workflowId = `start-policy-missing-${randomUUID()}`;
    expect(await signalWorkflow(ctx.temporal, workflowId, cancelOnboardingSignal)).toBe(false);
    const err = await updateWorkflow(ctx.temporal, workflowId, cancelTransferUpdate, {
      args: [{ actorUserId: null }],
    }).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('CONFLICT');
    const gone = await updateWorkflow(ctx.temporal, workflowId, cancelTransferUpdate, {
      args: [{ actorUserId: null }],
      whenGone: () => 'gone' as unknown as void,
    });
    expect(gone).toBe('gone');
  });
});

describe('workflowFailure', () => {
  it('keeps the code of a business refusal found in the cause chain', () => {
    const refusal = ApplicationFailure.nonRetryable('not enough money', 'INSUFFICIENT_FUNDS');
    const failed = new WorkflowFailedError('workflow failed', refusal, RetryState.NON_RETRYABLE_FAILURE);
    const mapped = workflowFailure(failed);
    expect(mapped?.code).toBe('INSUFFICIENT_FUNDS');
    expect(mapped?.message).toBe('not enough money');
  });

  it('leaves failures that are not ours to name to the caller', () => {
    const crash = ApplicationFailure.retryable('boom', 'TypeError');
    expect(
      workflowFailure(new WorkflowFailedError('failed', crash, RetryState.MAXIMUM_ATTEMPTS_REACHED)),
    ).toBe(null);
    expect(workflowFailure(new Error('other'))).toBe(null);
  });
});
