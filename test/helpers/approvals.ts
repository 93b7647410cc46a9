// Four-eyes approval fixtures: a funded partner workspace with an initiator (Admin), approvers (Finance, a second
// Admin), a member without payout.approve (Operations), another workspace, and the threshold set through the API.
import { expect } from 'vitest';
import type { TestContext } from './context';
import { createMember } from './factories';
import { call } from './http';
import { balance, fundedWalletPair } from './wallets';

export const THRESHOLD = 1_000;

export async function approvalSetup(ctx: TestContext, funds = 100_000) {
  const { tenant, partner, other, source, dest } = await fundedWalletPair(ctx, funds);
  const finance = await createMember(ctx, partner, 'Finance');
  const secondAdmin = await createMember(ctx, partner, 'Admin');
  const operations = await createMember(ctx, partner, 'Operations');
  const saved = await call(ctx, 'PUT', '/v1/workspace/transfer-security', {
    token: partner.admin.token,
    body: { approvalThresholds: [{ currency: 'USD', amount: THRESHOLD }], stepUpMfa: false },
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  return { tenant, partner, other, source, dest, initiator: partner.admin, finance, secondAdmin, operations };
}

export function approve(ctx: TestContext, token: string, transferId: string) {
  return call(ctx, 'POST', `/v1/transfers/${transferId}/approve`, { token });
}

export function reject(ctx: TestContext, token: string, transferId: string, reason?: string) {
  return call(ctx, 'POST', `/v1/transfers/${transferId}/reject`, {
    token,
    ...(reason === undefined ? {} : { body: { reason } }),
  });
}

/** The transfer's audit actions, oldest first (scoped to the transfer). */
export async function transferAudit(ctx: TestContext, transferId: string) {
  const rows = await ctx.orm.em
    .fork()
    .execute<{ action: string; actor_user_id: string | null }[]>(
      `select action, actor_user_id from audit_log where target_type = 'transfer' and target_id = ? order by id`,
      [transferId],
    );
  return rows.map((r) => ({ action: r.action, actor: r.actor_user_id }));
}

/** The transfer's events as [type, data] pairs. */
export async function transferEvents(ctx: TestContext, token: string, transferId: string) {
  const res = await call(ctx, 'GET', `/v1/transfers/${transferId}`, { token });
  expect(res.status).toBe(200);
  return res.body.events as { type: string; at: string; data: Record<string, unknown> }[];
}

/**
 * A transfer that waited for approval and ended on `ending` without moving money: the source holds its funds again
 * and the events are the hold, the request, `ending`, the release and `last`. Returns the events.
 */
export async function expectUnwoundAfterApprovalRequest(
  ctx: TestContext,
  s: Awaited<ReturnType<typeof approvalSetup>>,
  transferId: string,
  ending: string,
  last = 'FAILED',
) {
  expect(await balance(ctx, s.initiator.token, s.source)).toMatchObject({ available: 100_000, pending: 0 });
  const events = await transferEvents(ctx, s.initiator.token, transferId);
  expect(events.map((e) => e.type)).toEqual([
    'FUNDS_HELD',
    'APPROVAL_REQUESTED',
    ending,
    'FUNDS_RELEASED',
    last,
  ]);
  return events;
}
