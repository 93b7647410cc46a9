// Four-eyes approval of transfers at or above the workspace's threshold: the durable wait PENDING_APPROVAL,
// approve, reject, cancel while waiting, who may decide, concurrent decisions; holds released in every ending.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { transferWorkflowId } from '../../domain/transfers';
import { OPERATION_STATUS } from '../../workflows/search-attributes';
import {
  approvalSetup,
  approve,
  expectUnwoundAfterApprovalRequest,
  reject,
  THRESHOLD,
  transferAudit,
  transferEvents,
} from '../helpers/approvals';
import { useTestContext } from '../helpers/context';
import { call, expectProblem } from '../helpers/http';
import {
  balance,
  expectLedgerConsistent,
  postTransfer,
  waitForTransfer,
  walletTransfer,
} from '../helpers/wallets';
import { outboxMails } from './messaging-helpers';

const ctx = useTestContext({ env: { TRANSFER_APPROVAL_TTL: '10m' } });

async function operationStatus(transferId: string): Promise<string | undefined> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const desc = await ctx.temporal.workflow.getHandle(transferWorkflowId(transferId)).describe();
    const status = desc.typedSearchAttributes.get(OPERATION_STATUS);
    if (status && status !== 'RUNNING') return status;
    if (Date.now() > deadline) return status;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('transfer security settings', () => {
  it('GET/PUT /v1/workspace/transfer-security: defaults, validation with 400s, saved and audited, permission', async () => {
    const s = await approvalSetup(ctx);
    const token = s.initiator.token;
    const fresh = await call(ctx, 'GET', '/v1/workspace/transfer-security', { token: s.other.admin.token });
    expect(fresh.body).toEqual({ approvalThresholds: [], stepUpMfa: false, updatedAt: null });

    const bad = [
      [
        { currency: 'USD', amount: 5 },
        { currency: 'USD', amount: 7 },
      ],
      [{ currency: 'XXX', amount: 5 }],
      [{ currency: 'USD', amount: 0 }],
      [{ currency: 'USD', amount: -1 }],
      [{ currency: 'USD', amount: 1.5 }],
      [{ currency: 'usd', amount: 5 }],
    ];
    for (const approvalThresholds of bad) {
      expectProblem(
        await call(ctx, 'PUT', '/v1/workspace/transfer-security', {
          token,
          body: { approvalThresholds, stepUpMfa: true },
        }),
        400,
        'VALIDATION_FAILED',
      );
    }
    expectProblem(
      await call(ctx, 'PUT', '/v1/workspace/transfer-security', { token, body: { approvalThresholds: [] } }),
      400,
      'VALIDATION_FAILED',
    );
    // Nothing changed by the refusals.
    const unchanged = await call(ctx, 'GET', '/v1/workspace/transfer-security', { token });
    expect(unchanged.body).toMatchObject({
      approvalThresholds: [{ currency: 'USD', amount: THRESHOLD }],
      stepUpMfa: false,
    });

    const saved = await call(ctx, 'PUT', '/v1/workspace/transfer-security', {
      token,
      body: {
        approvalThresholds: [
          { currency: 'USD', amount: 2_500 },
          { currency: 'EUR', amount: 900 },
        ],
        stepUpMfa: false,
      },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      approvalThresholds: [
        { currency: 'EUR', amount: 900 },
        { currency: 'USD', amount: 2_500 },
      ],
      stepUpMfa: false,
      updatedAt: expect.any(String),
    });
    const [audit] = await ctx.orm.em
      .fork()
      .execute(
        `select actor_user_id, data from audit_log where workspace_id = ? and action = 'workspace.transfer_security.updated' order by id desc limit 1`,
        [s.partner.workspaceId],
      );
    expect(audit).toMatchObject({ actor_user_id: s.initiator.userId });
    expect(audit!.data.approvalThresholds).toEqual([
      { currency: 'EUR', amount: '900' },
      { currency: 'USD', amount: '2500' },
    ]);
    expectProblem(
      await call(ctx, 'GET', '/v1/workspace/transfer-security', { token: s.finance.token }),
      403,
      'FORBIDDEN',
    );
  });
});

describe('four-eyes approval', () => {
  it('below the threshold completes at once; at the threshold waits PENDING_APPROVAL with its funds held, approvers mailed', async () => {
    const s = await approvalSetup(ctx);
    const below = await postTransfer(ctx, s.initiator.token, walletTransfer(s.source, s.dest, THRESHOLD - 1));
    expect(below.status, JSON.stringify(below.body)).toBe(201);
    expect(below.body.status).toBe('COMPLETED');

    const at = await postTransfer(ctx, s.initiator.token, walletTransfer(s.source, s.dest, THRESHOLD));
    expect(at.status, JSON.stringify(at.body)).toBe(201);
    expect(at.body.status).toBe('PENDING_APPROVAL');
    expect(await balance(ctx, s.initiator.token, s.source)).toMatchObject({
      available: 100_000 - (THRESHOLD - 1) - THRESHOLD,
      pending: THRESHOLD,
    });
    expect(await operationStatus(at.body.id)).toBe('PENDING_APPROVAL');
    const events = await transferEvents(ctx, s.initiator.token, at.body.id);
    expect(events.map((e) => e.type)).toEqual(['FUNDS_HELD', 'APPROVAL_REQUESTED']);
    expect(events[1]!.data).toMatchObject({ requestedBy: s.initiator.userId, threshold: THRESHOLD });
    expect((await transferAudit(ctx, at.body.id)).map((a) => a.action)).toEqual([
      'transfer.created',
      'transfer.approval_requested',
    ]);
    const listed = await call(ctx, 'GET', '/v1/transfers?status=PENDING_APPROVAL', {
      token: s.finance.token,
    });
    expect(listed.body.data.map((t: { id: string }) => t.id)).toEqual([at.body.id]);

    // Approvers (Finance, the second Admin) are told; the initiator and Operations are not.
    const [mail] = await outboxMails(ctx, s.finance.email);
    expect(mail!.subject).toContain('waits for your approval');
    await outboxMails(ctx, s.secondAdmin.email);
    for (const email of [s.initiator.email, s.operations.email]) {
      const none = await call(ctx, 'GET', `/v1/dev/outbox?to=${encodeURIComponent(email)}`);
      expect(none.body.data).toEqual([]);
    }
    await expectLedgerConsistent(ctx, s.tenant.tenantId, true);
    expect(
      (await approve(ctx, s.finance.token, at.body.id)).body.status,
      'settle it so the tenant ends terminal',
    ).toBe('COMPLETED');
  });

  it('another member approves: the transfer continues and completes; the initiator is refused, other roles and workspaces too', async () => {
    const s = await approvalSetup(ctx);
    const res = await postTransfer(ctx, s.initiator.token, walletTransfer(s.source, s.dest, 5_000));
    expect(res.body.status).toBe('PENDING_APPROVAL');
    const id = res.body.id;

    expectProblem(await approve(ctx, s.initiator.token, id), 403, 'APPROVAL_NOT_ALLOWED');
    expectProblem(await reject(ctx, s.initiator.token, id), 403, 'APPROVAL_NOT_ALLOWED');
    expectProblem(await approve(ctx, s.operations.token, id), 403, 'FORBIDDEN');
    // Another workspace's approver (its Admin holds payout.approve) does not see the transfer.
    expectProblem(await approve(ctx, s.other.admin.token, id), 404, 'NOT_FOUND');
    expectProblem(await reject(ctx, s.other.admin.token, id), 404, 'NOT_FOUND');
    expectProblem(await approve(ctx, s.finance.token, randomUUID()), 404, 'NOT_FOUND');
    expect((await call(ctx, 'GET', `/v1/transfers/${id}`, { token: s.initiator.token })).body.status).toBe(
      'PENDING_APPROVAL',
    );

    const approved = await approve(ctx, s.finance.token, id);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ id, status: 'COMPLETED', failureCode: null });
    expectProblem(await approve(ctx, s.secondAdmin.token, id), 409, 'CONFLICT');
    expectProblem(await reject(ctx, s.secondAdmin.token, id), 409, 'CONFLICT');

    const events = await transferEvents(ctx, s.initiator.token, id);
    expect(events.map((e) => e.type)).toEqual(['FUNDS_HELD', 'APPROVAL_REQUESTED', 'APPROVED', 'COMPLETED']);
    expect(events[2]!.data).toEqual({ by: s.finance.userId });
    expect(await transferAudit(ctx, id)).toEqual([
      { action: 'transfer.created', actor: s.initiator.userId },
      { action: 'transfer.approval_requested', actor: s.initiator.userId },
      { action: 'transfer.approved', actor: s.finance.userId },
    ]);
    expect(await balance(ctx, s.initiator.token, s.source)).toMatchObject({ available: 95_000, pending: 0 });
    expect(await balance(ctx, s.other.admin.token, s.dest)).toMatchObject({ available: 5_000 });
    expect(await operationStatus(id)).toBe('COMPLETED');
    await expectLedgerConsistent(ctx, s.tenant.tenantId);
  });

  it('reject: the hold is released, FAILED with APPROVAL_REJECTED and the reason', async () => {
    const s = await approvalSetup(ctx);
    const res = await postTransfer(ctx, s.initiator.token, walletTransfer(s.source, s.dest, 3_000));
    const id = res.body.id;
    const rejected = await reject(ctx, s.secondAdmin.token, id, 'not budgeted');
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body).toMatchObject({
      id,
      status: 'FAILED',
      failureCode: 'APPROVAL_REJECTED',
      failureMessage: 'not budgeted',
    });
    const events = await expectUnwoundAfterApprovalRequest(ctx, s, id, 'APPROVAL_REJECTED');
    expect(events[2]!.data).toEqual({ by: s.secondAdmin.userId, reason: 'not budgeted' });
    expect((await transferAudit(ctx, id)).at(-1)).toEqual({
      action: 'transfer.approval_rejected',
      actor: s.secondAdmin.userId,
    });
    expectProblem(await approve(ctx, s.finance.token, id), 409, 'CONFLICT');
    expect(await operationStatus(id)).toBe('FAILED');
    const failed = await ctx.orm.em
      .fork()
      .execute(`select data from event where dedupe_key = ?`, [`transfer.failed:${id}`]);
    expect(failed).toEqual([{ data: expect.objectContaining({ failureCode: 'APPROVAL_REJECTED' }) }]);
    // Rejecting without a body works too.
    const second = await postTransfer(ctx, s.initiator.token, walletTransfer(s.source, s.dest, 1_500));
    const bare = await reject(ctx, s.finance.token, second.body.id);
    expect(bare.body).toMatchObject({ status: 'FAILED', failureCode: 'APPROVAL_REJECTED' });
    await expectLedgerConsistent(ctx, s.tenant.tenantId);
  });

  it('cancel while waiting: CANCELLED, hold released, no decision possible afterwards', async () => {
    const s = await approvalSetup(ctx);
    const res = await postTransfer(ctx, s.initiator.token, walletTransfer(s.source, s.dest, 2_000));
    const id = res.body.id;
    const cancelled = await call(ctx, 'POST', `/v1/transfers/${id}/cancel`, { token: s.initiator.token });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body.status).toBe('CANCELLED');
    expectProblem(await approve(ctx, s.finance.token, id), 409, 'CONFLICT');
    await expectUnwoundAfterApprovalRequest(ctx, s, id, 'CANCEL_REQUESTED', 'CANCELLED');
    await expectLedgerConsistent(ctx, s.tenant.tenantId);
  });

  it('two approvers deciding at once: one wins, the other gets 409, the decision is applied once', async () => {
    const s = await approvalSetup(ctx);
    for (const [first, second] of [
      ['approve', 'reject'],
      ['approve', 'approve'],
      ['reject', 'approve'],
    ] as const) {
      const res = await postTransfer(ctx, s.initiator.token, walletTransfer(s.source, s.dest, 1_000));
      const id = res.body.id;
      const act = (kind: 'approve' | 'reject', token: string) =>
        kind === 'approve' ? approve(ctx, token, id) : reject(ctx, token, id);
      const answers = await Promise.all([act(first, s.finance.token), act(second, s.secondAdmin.token)]);
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses, JSON.stringify(answers.map((a) => a.body))).toEqual([200, 409]);
      const loser = answers.find((a) => a.status === 409)!;
      expect(loser.body.code).toBe('CONFLICT');
      const winner = answers.findIndex((a) => a.status === 200);
      const kind = winner === 0 ? first : second;
      const final = await waitForTransfer(ctx, s.initiator.token, id);
      expect(final.status).toBe(kind === 'approve' ? 'COMPLETED' : 'FAILED');
      const decisions = (await transferAudit(ctx, id)).filter((a) =>
        ['transfer.approved', 'transfer.approval_rejected'].includes(a.action),
      );
      expect(decisions).toHaveLength(1);
    }
    await expectLedgerConsistent(ctx, s.tenant.tenantId);
  });

  it('an idempotent replay of a waiting transfer answers it again without waiting', async () => {
    const s = await approvalSetup(ctx);
    const key = randomUUID();
    const body = walletTransfer(s.source, s.dest, 4_000);
    const first = await postTransfer(ctx, s.initiator.token, body, key);
    const again = await postTransfer(ctx, s.initiator.token, body, key);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id: first.body.id, status: 'PENDING_APPROVAL' });
    expect(await balance(ctx, s.initiator.token, s.source)).toMatchObject({ pending: 4_000 });
    await approve(ctx, s.finance.token, first.body.id);
    await expectLedgerConsistent(ctx, s.tenant.tenantId);
  });
});
