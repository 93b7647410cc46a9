import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context';
import { call, expectProblem } from '../helpers/http';
import { createMember, createTenant, uniqueEmail } from '../helpers/factories';
import { createPartner } from '../helpers/partners';

const ctx = useTestContext({ worker: false });
/** Each file registers from its own address so the registration throttle of other files never interferes. */
const IP = {
  'x-forwarded-for': `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
};

function register(body: Record<string, unknown>) {
  return call(ctx, 'POST', '/v1/consumers/register', { body, headers: IP });
}

function consumerBody(referralCode: string, overrides: Record<string, unknown> = {}) {
  return {
    referralCode,
    email: uniqueEmail('consumer'),
    name: 'Connie Consumer',
    password: 'a long consumer password',
    ...overrides,
  };
}

async function countConsumers(tenantId: string): Promise<number> {
  const [row] = await ctx.orm.em
    .fork()
    .execute<{ n: string }[]>('select count(*) as n from consumer where tenant_id = ?', [tenantId]);
  return Number(row!.n);
}

describe('POST /v1/consumers/register', () => {
  it('registers a consumer with an active code and records the referral in the same tenant', async () => {
    const tenant = await createTenant(ctx);
    const partner = await createPartner(ctx, tenant.tenantId);
    const body = consumerBody(partner.referralCode!.toLowerCase());
    const res = await register(body);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String) });

    const em = ctx.orm.em.fork();
    const [consumer] = await em.execute('select * from consumer where id = ?', [res.body.id]);
    expect(consumer).toMatchObject({
      tenant_id: tenant.tenantId,
      email: body.email,
      name: 'Connie Consumer',
    });
    expect(consumer!.password_hash).toMatch(/^\$argon2id\$/);
    const [referral] = await em.execute('select * from referral where consumer_id = ?', [res.body.id]);
    expect(referral).toMatchObject({
      tenant_id: tenant.tenantId,
      partner_id: partner.partnerId,
      referral_code_id: partner.referralCodeId,
    });
  });

  it('refuses an unknown or inactive code with 422 INVALID_REFERRAL_CODE and creates nothing', async () => {
    const tenant = await createTenant(ctx);
    const inactive = await createPartner(ctx, tenant.tenantId, { codeStatus: 'INACTIVE' });
    expectProblem(await register(consumerBody(inactive.referralCode!)), 422, 'INVALID_REFERRAL_CODE');
    expectProblem(
      await register(consumerBody(`NOPE${randomUUID().slice(0, 6)}`)),
      422,
      'INVALID_REFERRAL_CODE',
    );
    expect(await countConsumers(tenant.tenantId)).toBe(0);
  });

  it('refuses a code whose partner is not ACTIVE', async () => {
    const tenant = await createTenant(ctx);
    const partner = await createPartner(ctx, tenant.tenantId);
    await ctx.orm.em
      .fork()
      .execute(`update partner set status = 'PROVISIONING' where id = ?`, [partner.partnerId]);
    expectProblem(await register(consumerBody(partner.referralCode!)), 422, 'INVALID_REFERRAL_CODE');
    expect(await countConsumers(tenant.tenantId)).toBe(0);
  });

  it('answers 409 EMAIL_TAKEN for an email already registered in the tenant, but not across tenants', async () => {
    const tenantA = await createTenant(ctx);
    const tenantB = await createTenant(ctx);
    const partnerA = await createPartner(ctx, tenantA.tenantId);
    const otherA = await createPartner(ctx, tenantA.tenantId);
    const partnerB = await createPartner(ctx, tenantB.tenantId);
    const email = uniqueEmail('twice');
    expect((await register(consumerBody(partnerA.referralCode!, { email }))).status).toBe(201);
    expectProblem(
      await register(consumerBody(otherA.referralCode!, { email: email.toUpperCase() })),
      409,
      'EMAIL_TAKEN',
    );
    expect(await countConsumers(tenantA.tenantId)).toBe(1);
    expect((await register(consumerBody(partnerB.referralCode!, { email }))).status).toBe(201);
  });

  it('refuses bad input with 400 VALIDATION_FAILED and creates nothing', async () => {
    const tenant = await createTenant(ctx);
    const partner = await createPartner(ctx, tenant.tenantId);
    const bad = [
      consumerBody(partner.referralCode!, { password: 'short' }),
      consumerBody(partner.referralCode!, { email: 'not-an-email' }),
      consumerBody(partner.referralCode!, { name: '' }),
      consumerBody(partner.referralCode!, { extra: 1 }),
      { email: uniqueEmail(), name: 'x', password: 'a long consumer password' },
    ];
    for (const body of bad) expectProblem(await register(body), 400, 'VALIDATION_FAILED');
    expect(await countConsumers(tenant.tenantId)).toBe(0);
  });
});

describe('partner referral views', () => {
  it('shows a partner only its own code and referrals; the count matches the list', async () => {
    const tenant = await createTenant(ctx);
    const a = await createPartner(ctx, tenant.tenantId);
    const b = await createPartner(ctx, tenant.tenantId);
    const aEmails: string[] = [];
    for (let i = 0; i < 3; i++) {
      const body = consumerBody(a.referralCode!);
      aEmails.push(body.email);
      expect((await register(body)).status).toBe(201);
    }
    const bBody = consumerBody(b.referralCode!);
    expect((await register(bBody)).status).toBe(201);

    const codeA = await call(ctx, 'GET', '/v1/referral-code', { token: a.admin.token });
    expect(codeA.body).toEqual({ code: a.referralCode, status: 'ACTIVE' });
    const codeB = await call(ctx, 'GET', '/v1/referral-code', { token: b.admin.token });
    expect(codeB.body).toEqual({ code: b.referralCode, status: 'ACTIVE' });

    const seen: any[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await call(ctx, 'GET', `/v1/referrals?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
        token: a.admin.token,
      });
      expect(page.status).toBe(200);
      seen.push(...page.body.data);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.map((r) => r.email).sort()).toEqual([...aEmails].sort());
    expect(seen[0]).toEqual({
      consumerId: expect.any(String),
      name: 'Connie Consumer',
      email: expect.any(String),
      registeredAt: expect.any(String),
    });
    expect(seen.map((r) => r.email)).not.toContain(bBody.email);
    const countA = await call(ctx, 'GET', '/v1/referrals/count', { token: a.admin.token });
    expect(countA.body).toEqual({ count: seen.length });

    const listB = await call(ctx, 'GET', '/v1/referrals', { token: b.admin.token });
    expect(listB.body.data.map((r: any) => r.email)).toEqual([bBody.email]);
    expect((await call(ctx, 'GET', '/v1/referrals/count', { token: b.admin.token })).body).toEqual({
      count: 1,
    });
  });

  it('answers 404 when the partner has no code, and refuses a role without referral.view', async () => {
    const tenant = await createTenant(ctx);
    const partner = await createPartner(ctx, tenant.tenantId, { code: null });
    expectProblem(
      await call(ctx, 'GET', '/v1/referral-code', { token: partner.admin.token }),
      404,
      'NOT_FOUND',
    );
    expect((await call(ctx, 'GET', '/v1/referrals/count', { token: partner.admin.token })).body).toEqual({
      count: 0,
    });
    const finance = await createMember(ctx, partner, 'Finance');
    expectProblem(await call(ctx, 'GET', '/v1/referrals', { token: finance.token }), 403, 'FORBIDDEN');
    expectProblem(await call(ctx, 'GET', '/v1/referral-code'), 401, 'UNAUTHENTICATED');
  });
});
