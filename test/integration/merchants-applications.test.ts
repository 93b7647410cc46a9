// Merchant applications (issue 15): the public form refuses bad input and unknown tenants with nothing stored;
// the tenant lists and reads them; a rejection mails the applicant; a second decision is 409; another tenant's
// admin gets 404 on the application and on the merchant.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context';
import { createMember, createTenant, uniqueEmail } from '../helpers/factories';
import { call, expectProblem } from '../helpers/http';
import { applicationBody, apply, approvedMerchant } from '../helpers/merchants';
import { outboxMails } from './messaging-helpers';

const ctx = useTestContext();

/** Rows an application with this email left anywhere (scoped to the test's own email, never whole tables). */
async function storedFor(email: string): Promise<number> {
  const [row] = await ctx.orm.em.fork().execute<{ n: string }[]>(
    `select (select count(*) from merchant_application where email = lower(?))
            + (select count(*) from merchant where admin_email = lower(?)) as n`,
    [email, email],
  );
  return Number(row!.n);
}

describe('POST /v1/merchant-applications', () => {
  it('refuses bad input with 400 and field problems, storing nothing', async () => {
    const tenant = await createTenant(ctx);
    const email = uniqueEmail('bad-applicant');
    const cases: [Record<string, unknown>, string][] = [
      [{ businessName: '' }, 'body.businessName'],
      [{ businessName: '   ' }, 'body.businessName'],
      [{ contactName: undefined }, 'body.contactName'],
      [{ email: 'not-an-email' }, 'body.email'],
      [{ country: 'ZZ' }, 'body.country'],
      [{ country: 'Germany' }, 'body.country'],
      [{ website: 'ftp://shop.example.com' }, 'body.website'],
      [{ website: 'javascript:alert(1)' }, 'body.website'],
      [{ currencies: [] }, 'body.currencies'],
      [{ currencies: ['XXY'] }, 'body.currencies.0'],
      [{ tenantId: 'not-a-uuid' }, 'body.tenantId'],
      [{ extra: true }, 'body'],
    ];
    for (const [change, path] of cases) {
      const body = { ...applicationBody(tenant.tenantId, { email }), ...change };
      const res = await call(ctx, 'POST', '/v1/merchant-applications', { body });
      const problem = expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(
        problem.errors.map((e: { path: string }) => e.path),
        JSON.stringify(change),
      ).toContainEqual(expect.stringContaining(path));
    }
    expect(await storedFor(email)).toBe(0);
    const listed = await call(ctx, 'GET', '/v1/tenant/merchant-applications', { token: tenant.admin.token });
    expect(listed.body.data).toEqual([]);
  });

  it('answers 404 for an unknown tenant, storing nothing', async () => {
    const email = uniqueEmail('lost-applicant');
    const res = await call(ctx, 'POST', '/v1/merchant-applications', {
      body: applicationBody(randomUUID(), { email }),
    });
    expectProblem(res, 404, 'NOT_FOUND');
    expect(await storedFor(email)).toBe(0);
  });

  it('records the application SUBMITTED with its audit row; the tenant lists it with status and cursor', async () => {
    const tenant = await createTenant(ctx);
    const first = await apply(ctx, tenant.tenantId, { currencies: ['USD', 'USD', 'EUR'] });
    const second = await apply(ctx, tenant.tenantId, { website: undefined });
    const third = await apply(ctx, tenant.tenantId);
    const got = await call(ctx, 'GET', `/v1/tenant/merchant-applications/${first.id}`, {
      token: tenant.admin.token,
    });
    expect(got.body).toEqual({
      id: first.id,
      status: 'SUBMITTED',
      businessName: first.body.businessName,
      contactName: first.body.contactName,
      email: first.body.email,
      country: 'DE',
      website: 'https://shop.example.com',
      currencies: ['USD', 'EUR'],
      merchantId: null,
      decidedBy: null,
      decidedAt: null,
      reason: null,
      createdAt: expect.any(String),
    });
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await call(
        ctx,
        'GET',
        `/v1/tenant/merchant-applications?status=SUBMITTED&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { token: tenant.admin.token },
      );
      expect(page.status).toBe(200);
      ids.push(...page.body.data.map((a: { id: string }) => a.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(ids).toEqual([third.id, second.id, first.id]);
    const none = await call(ctx, 'GET', '/v1/tenant/merchant-applications?status=APPROVED', {
      token: tenant.admin.token,
    });
    expect(none.body.data).toEqual([]);
    const audit = await call(ctx, 'GET', '/v1/tenant/audit-log?action=merchant.application_submitted', {
      token: tenant.admin.token,
    });
    expect(audit.body.data.map((a: { targetId: string }) => a.targetId).sort()).toEqual(
      [first.id, second.id, third.id].sort(),
    );
  });
});

describe('the tenant decides', () => {
  it('rejects with a reason: REJECTED, the applicant is mailed, a second decision is 409', async () => {
    const tenant = await createTenant(ctx);
    const { id, body } = await apply(ctx, tenant.tenantId);
    expectProblem(
      await call(ctx, 'POST', `/v1/tenant/merchant-applications/${id}/reject`, {
        token: tenant.admin.token,
        body: { reason: '' },
      }),
      400,
      'VALIDATION_FAILED',
    );
    const rejected = await call(ctx, 'POST', `/v1/tenant/merchant-applications/${id}/reject`, {
      token: tenant.admin.token,
      body: { reason: 'We do not serve this business type' },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      id,
      status: 'REJECTED',
      reason: 'We do not serve this business type',
      decidedBy: tenant.admin.userId,
      merchantId: null,
    });
    const [mail] = await outboxMails(ctx, body.email);
    expect(mail!.subject).toContain('not approved');
    expect(mail!.text).toContain('We do not serve this business type');

    expectProblem(
      await call(ctx, 'POST', `/v1/tenant/merchant-applications/${id}/approve`, {
        token: tenant.admin.token,
      }),
      409,
      'CONFLICT',
    );
    expectProblem(
      await call(ctx, 'POST', `/v1/tenant/merchant-applications/${id}/reject`, {
        token: tenant.admin.token,
        body: { reason: 'again' },
      }),
      409,
      'CONFLICT',
    );
    const merchants = await call(ctx, 'GET', '/v1/tenant/merchants', { token: tenant.admin.token });
    expect(merchants.body.data).toEqual([]);
  });

  it('approving twice, even at once, provisions one merchant; the other decision is 409', async () => {
    const tenant = await createTenant(ctx);
    const { id } = await apply(ctx, tenant.tenantId);
    const decide = (verb: string) =>
      call(ctx, 'POST', `/v1/tenant/merchant-applications/${id}/${verb}`, {
        token: tenant.admin.token,
        ...(verb === 'reject' ? { body: { reason: 'no' } } : {}),
      });
    const answers = await Promise.all([decide('approve'), decide('approve'), decide('reject')]);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 409, 409]);
    for (const a of answers.filter((x) => x.status === 409)) expectProblem(a, 409, 'CONFLICT');
    const winner = answers.find((a) => a.status === 200)!;
    expectProblem(await decide('approve'), 409, 'CONFLICT');
    const merchants = await call(ctx, 'GET', '/v1/tenant/merchants', { token: tenant.admin.token });
    const expected = winner.body.status === 'APPROVED' ? [winner.body.merchantId] : [];
    expect(merchants.body.data.map((m: { id: string }) => m.id)).toEqual(expected);
  });

  it("another tenant's admin gets 404 on the application and on the merchant", async () => {
    const tenant = await createTenant(ctx);
    const other = await createTenant(ctx);
    const pending = await apply(ctx, tenant.tenantId);
    const { applicationId, merchant } = await approvedMerchant(ctx, tenant, { currencies: ['USD'] });
    const token = other.admin.token;
    for (const appId of [pending.id, applicationId]) {
      expectProblem(
        await call(ctx, 'GET', `/v1/tenant/merchant-applications/${appId}`, { token }),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await call(ctx, 'POST', `/v1/tenant/merchant-applications/${appId}/approve`, { token }),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await call(ctx, 'POST', `/v1/tenant/merchant-applications/${appId}/reject`, {
          token,
          body: { reason: 'not mine' },
        }),
        404,
        'NOT_FOUND',
      );
    }
    expectProblem(await call(ctx, 'GET', `/v1/tenant/merchants/${merchant.id}`, { token }), 404, 'NOT_FOUND');
    for (const verb of ['suspend', 'reactivate']) {
      expectProblem(
        await call(ctx, 'POST', `/v1/tenant/merchants/${merchant.id}/${verb}`, { token }),
        404,
        'NOT_FOUND',
      );
    }
    expect((await call(ctx, 'GET', '/v1/tenant/merchant-applications', { token })).body.data).toEqual([]);
    expect((await call(ctx, 'GET', '/v1/tenant/merchants', { token })).body.data).toEqual([]);
    // Untouched: still SUBMITTED, the merchant still ACTIVE.
    const mine = await call(ctx, 'GET', `/v1/tenant/merchant-applications/${pending.id}`, {
      token: tenant.admin.token,
    });
    expect(mine.body.status).toBe('SUBMITTED');
    const still = await call(ctx, 'GET', `/v1/tenant/merchants/${merchant.id}`, {
      token: tenant.admin.token,
    });
    expect(still.body.status).toBe('ACTIVE');
  });

  it('a role without tenant.merchants.manage is 403', async () => {
    const tenant = await createTenant(ctx);
    const { id } = await apply(ctx, tenant.tenantId);
    const finance = await createMember(ctx, tenant, 'Finance');
    expectProblem(
      await call(ctx, 'POST', `/v1/tenant/merchant-applications/${id}/approve`, { token: finance.token }),
      403,
      'FORBIDDEN',
    );
    expectProblem(await call(ctx, 'GET', '/v1/tenant/merchants', { token: finance.token }), 403, 'FORBIDDEN');
  });
});
