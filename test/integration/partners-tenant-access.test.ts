import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ROUTE_ACCESS } from '../../api/openapi';
import { useTestContext } from '../helpers/context';
import { call, expectProblem } from '../helpers/http';
import { createMember, createTenant } from '../helpers/factories';
import { createPartner } from '../helpers/partners';

const ctx = useTestContext({ worker: false });

/** Every registered /v1/tenant/* route, with path parameters filled in. */
function tenantRoutes(): { method: string; path: string; access: string }[] {
  return ROUTE_ACCESS.filter((r) => r.path.startsWith('/v1/tenant/')).map((r) => ({
    method: r.method,
    path: r.path.replace(/\{[^}]+\}/g, () => randomUUID()),
    access: r.access,
  }));
}

describe('/v1/tenant/* is closed to partners', () => {
  it('refuses a partner admin token on every tenant route with 403 FORBIDDEN, changing nothing', async () => {
    const tenant = await createTenant(ctx);
    const partner = await createPartner(ctx, tenant.tenantId);
    const routes = tenantRoutes();
    expect(
      ROUTE_ACCESS.filter((r) => r.path.startsWith('/v1/tenant/')).map((r) => `${r.method} ${r.path}`),
    ).toEqual(
      expect.arrayContaining([
        'POST /v1/tenant/partners',
        'GET /v1/tenant/partners',
        'GET /v1/tenant/partners/{id}',
        'POST /v1/tenant/partners/{id}/suspend',
        'POST /v1/tenant/partners/{id}/reactivate',
        'POST /v1/tenant/referral-codes',
        'GET /v1/tenant/referral-codes',
        'PATCH /v1/tenant/referral-codes/{id}',
        'POST /v1/tenant/onboarding-batches',
        'GET /v1/tenant/onboarding-batches/{id}',
        'POST /v1/tenant/onboarding-batches/{id}/cancel',
        'GET /v1/tenant/onboarding-batches/{id}/rows',
      ]),
    );
    expect(routes.every((r) => r.access.startsWith('tenant.'))).toBe(true);
    for (const route of routes) {
      const res = await call(ctx, route.method, route.path, {
        token: partner.admin.token,
        body: ['GET', 'DELETE'].includes(route.method) ? undefined : {},
        headers: { 'idempotency-key': randomUUID() },
      });
      if (res.status !== 403) throw new Error(`${route.method} ${route.path} answered ${res.status}`);
      expectProblem(res, 403, 'FORBIDDEN');
    }
    const [row] = await ctx.orm.em
      .fork()
      .execute<{ n: string }[]>('select count(*) as n from partner where tenant_id = ?', [tenant.tenantId]);
    expect(Number(row!.n)).toBe(1);
  });

  it('refuses a tenant member whose role lacks the tenant permission, and admits the tenant admin', async () => {
    const tenant = await createTenant(ctx);
    const finance = await createMember(ctx, tenant, 'Finance');
    for (const route of tenantRoutes()) {
      const res = await call(ctx, route.method, route.path, {
        token: finance.token,
        body: ['GET', 'DELETE'].includes(route.method) ? undefined : {},
      });
      if (res.status !== 403) throw new Error(`${route.method} ${route.path} answered ${res.status}`);
    }
    expect((await call(ctx, 'GET', '/v1/tenant/partners', { token: tenant.admin.token })).status).toBe(200);
  });
});
