import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context';
import { call, expectProblem } from '../helpers/http';
import { createMember, createTenant, uniqueEmail } from '../helpers/factories';
import { createPartner } from '../helpers/partners';

const ctx = useTestContext({ worker: false });
const IP = {
  'x-forwarded-for': `10.8.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
};

function register(referralCode: string) {
  return call(ctx, 'POST', '/v1/consumers/register', {
    headers: IP,
    body: { referralCode, email: uniqueEmail('c'), name: 'C', password: 'a long consumer password' },
  });
}

async function auditActions(tenantId: string, targetId: string): Promise<string[]> {
  const rows = await ctx.orm.em
    .fork()
    .execute<{ action: string }[]>(
      'select action from audit_log where tenant_id = ? and target_id = ? order by id',
      [tenantId, targetId],
    );
  return rows.map((r) => r.action);
}

describe('/v1/tenant/referral-codes', () => {
  it('creates a generated or chosen code for a partner, one per partner, unique case-insensitively', async () => {
    const tenant = await createTenant(ctx);
    const p1 = await createPartner(ctx, tenant.tenantId, { code: null });
    const p2 = await createPartner(ctx, tenant.tenantId, { code: null });
    const token = tenant.admin.token;

    const generated = await call(ctx, 'POST', '/v1/tenant/referral-codes', {
      token,
      body: { partnerId: p1.partnerId },
    });
    expect(generated.status).toBe(201);
    expect(generated.body).toMatchObject({
      id: expect.any(String),
      partnerId: p1.partnerId,
      status: 'ACTIVE',
    });
    expect(generated.body.code).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    expect(await auditActions(tenant.tenantId, generated.body.id)).toEqual(['referral_code.created']);

    expectProblem(
      await call(ctx, 'POST', '/v1/tenant/referral-codes', {
        token,
        body: { partnerId: p1.partnerId, code: 'OTHER-1' },
      }),
      409,
      'CONFLICT',
    );
    const chosen = `Spring-${randomUUID().slice(0, 6)}`;
    const created = await call(ctx, 'POST', '/v1/tenant/referral-codes', {
      token,
      body: { partnerId: p2.partnerId, code: chosen },
    });
    expect(created.status).toBe(201);
    expect(created.body.code).toBe(chosen.toUpperCase());

    const p3 = await createPartner(ctx, tenant.tenantId, { code: null });
    expectProblem(
      await call(ctx, 'POST', '/v1/tenant/referral-codes', {
        token,
        body: { partnerId: p3.partnerId, code: chosen.toLowerCase() },
      }),
      409,
      'CONFLICT',
    );
    for (const body of [{ partnerId: p3.partnerId, code: 'a!' }, { partnerId: 'nope' }, { code: 'ABCD' }]) {
      expectProblem(
        await call(ctx, 'POST', '/v1/tenant/referral-codes', { token, body }),
        400,
        'VALIDATION_FAILED',
      );
    }

    const list = await call(ctx, 'GET', '/v1/tenant/referral-codes?limit=1', { token });
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0].id).toBe(created.body.id);
    const next = await call(ctx, 'GET', `/v1/tenant/referral-codes?limit=1&cursor=${list.body.nextCursor}`, {
      token,
    });
    expect(next.body.data[0].id).toBe(generated.body.id);
    expect(next.body.nextCursor).toBeNull();
  });

  it('deactivates, reactivates, changes and reassigns a code, with an audit row each time', async () => {
    const tenant = await createTenant(ctx);
    const partner = await createPartner(ctx, tenant.tenantId);
    const other = await createPartner(ctx, tenant.tenantId, { code: null });
    const token = tenant.admin.token;
    const path = `/v1/tenant/referral-codes/${partner.referralCodeId}`;

    const off = await call(ctx, 'PATCH', path, { token, body: { status: 'INACTIVE' } });
    expect(off.body).toMatchObject({ status: 'INACTIVE', code: partner.referralCode });
    expectProblem(await register(partner.referralCode!), 422, 'INVALID_REFERRAL_CODE');
    expect((await call(ctx, 'GET', '/v1/referral-code', { token: partner.admin.token })).body.status).toBe(
      'INACTIVE',
    );

    expect((await call(ctx, 'PATCH', path, { token, body: { status: 'ACTIVE' } })).body.status).toBe(
      'ACTIVE',
    );
    expect((await register(partner.referralCode!)).status).toBe(201);

    const renamed = `New-${randomUUID().slice(0, 6)}`.toUpperCase();
    expect((await call(ctx, 'PATCH', path, { token, body: { code: renamed } })).body.code).toBe(renamed);
    expectProblem(await register(partner.referralCode!), 422, 'INVALID_REFERRAL_CODE');
    expect((await register(renamed)).status).toBe(201);

    const moved = await call(ctx, 'PATCH', path, { token, body: { partnerId: other.partnerId } });
    expect(moved.body.partnerId).toBe(other.partnerId);
    expect((await call(ctx, 'GET', '/v1/referral-code', { token: other.admin.token })).body.code).toBe(
      renamed,
    );
    expectProblem(
      await call(ctx, 'GET', '/v1/referral-code', { token: partner.admin.token }),
      404,
      'NOT_FOUND',
    );
    // Referrals stay with the partner that brought them in.
    expect((await call(ctx, 'GET', '/v1/referrals/count', { token: partner.admin.token })).body.count).toBe(
      2,
    );
    expect((await call(ctx, 'GET', '/v1/referrals/count', { token: other.admin.token })).body.count).toBe(0);

    expect(await auditActions(tenant.tenantId, partner.referralCodeId!)).toEqual([
      'referral_code.updated',
      'referral_code.updated',
      'referral_code.updated',
      'referral_code.updated',
    ]);
    expectProblem(await call(ctx, 'PATCH', path, { token, body: {} }), 400, 'VALIDATION_FAILED');
    expectProblem(
      await call(ctx, 'PATCH', path, { token, body: { status: 'GONE' } }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it("answers 404 for another tenant's code or partner, and 403 without tenant.referrals.manage", async () => {
    const tenantA = await createTenant(ctx);
    const tenantB = await createTenant(ctx);
    const partnerB = await createPartner(ctx, tenantB.tenantId);
    const bare = await createPartner(ctx, tenantA.tenantId, { code: null });
    const token = tenantA.admin.token;
    expectProblem(
      await call(ctx, 'PATCH', `/v1/tenant/referral-codes/${partnerB.referralCodeId}`, {
        token,
        body: { status: 'INACTIVE' },
      }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await call(ctx, 'POST', '/v1/tenant/referral-codes', {
        token,
        body: { partnerId: partnerB.partnerId },
      }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await call(ctx, 'PATCH', `/v1/tenant/referral-codes/${bare.referralCodeId ?? randomUUID()}`, {
        token,
        body: { status: 'INACTIVE' },
      }),
      404,
      'NOT_FOUND',
    );
    const listed = await call(ctx, 'GET', '/v1/tenant/referral-codes', { token });
    expect(listed.body.data.map((c: any) => c.id)).not.toContain(partnerB.referralCodeId);
    const finance = await createMember(ctx, tenantA, 'Finance');
    expectProblem(
      await call(ctx, 'GET', '/v1/tenant/referral-codes', { token: finance.token }),
      403,
      'FORBIDDEN',
    );
    const [row] = await ctx.orm.em
      .fork()
      .execute('select status from referral_code where id = ?', [partnerB.referralCodeId]);
    expect(row).toEqual({ status: 'ACTIVE' });
  });
});
