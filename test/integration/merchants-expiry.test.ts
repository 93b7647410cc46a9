// Application lifetimes (MERCHANT_APPLICATION_REMINDER=1s, MERCHANT_APPLICATION_TTL=4s): an undecided
// application reminds the tenant's admins by mail, then ends EXPIRED and can no longer be decided; a decided
// one sends no reminder.
import { describe, expect, it } from 'vitest';
import { merchantApplicationWorkflowId } from '../../domain/merchants/contract';
import { useTestContext } from '../helpers/context';
import { createMember, createTenant } from '../helpers/factories';
import { call, expectProblem } from '../helpers/http';
import { apply } from '../helpers/merchants';
import { outboxMails } from './messaging-helpers';

const ctx = useTestContext({
  env: { MERCHANT_APPLICATION_REMINDER: '1s', MERCHANT_APPLICATION_TTL: '4s' },
});

describe('merchant application lifetime', () => {
  it("reminds the tenant's admins, then expires; an expired application cannot be decided", async () => {
    const tenant = await createTenant(ctx);
    const support = await createMember(ctx, tenant, 'Customer Service');
    const waiting = await apply(ctx, tenant.tenantId);
    const decided = await apply(ctx, tenant.tenantId);
    const rejected = await call(ctx, 'POST', `/v1/tenant/merchant-applications/${decided.id}/reject`, {
      token: tenant.admin.token,
      body: { reason: 'not for us' },
    });
    expect(rejected.status).toBe(200);

    const [reminder] = await outboxMails(ctx, tenant.admin.email);
    expect(reminder!.subject).toContain(waiting.body.businessName);
    expect(reminder!.text).toContain(waiting.body.email);

    const result = await ctx.temporal.workflow.getHandle(merchantApplicationWorkflowId(waiting.id)).result();
    expect(result).toEqual({ status: 'EXPIRED', merchantId: null, merchantStatus: null });
    const got = await call(ctx, 'GET', `/v1/tenant/merchant-applications/${waiting.id}`, {
      token: tenant.admin.token,
    });
    expect(got.body).toMatchObject({ status: 'EXPIRED', merchantId: null, decidedBy: null });
    expectProblem(
      await call(ctx, 'POST', `/v1/tenant/merchant-applications/${waiting.id}/approve`, {
        token: tenant.admin.token,
      }),
      409,
      'CONFLICT',
    );
    const expired = await call(ctx, 'GET', '/v1/tenant/merchant-applications?status=EXPIRED', {
      token: tenant.admin.token,
    });
    expect(expired.body.data.map((a: { id: string }) => a.id)).toEqual([waiting.id]);
    const audit = await call(ctx, 'GET', '/v1/tenant/audit-log?action=merchant.application_expired', {
      token: tenant.admin.token,
    });
    expect(audit.body.data).toEqual([expect.objectContaining({ targetId: waiting.id, actorId: null })]);

    // Only the undecided application reminded, and only the tenant's admins (not Customer Service).
    const adminMails = await call(ctx, 'GET', `/v1/dev/outbox?to=${encodeURIComponent(tenant.admin.email)}`);
    expect(adminMails.body.data.map((m: { subject: string }) => m.subject)).toEqual([reminder!.subject]);
    const supportMails = await call(ctx, 'GET', `/v1/dev/outbox?to=${encodeURIComponent(support.email)}`);
    expect(supportMails.body.data).toEqual([]);
    const decidedResult = await ctx.temporal.workflow
      .getHandle(merchantApplicationWorkflowId(decided.id))
      .result();
    expect(decidedResult.status).toBe('REJECTED');
  });
});
