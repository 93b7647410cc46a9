import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context';
import { call, expectProblem } from '../helpers/http';
import { uniqueEmail } from '../helpers/factories';
import { expectHistoryFreeOf } from './messaging-helpers';

const ctx = useTestContext();
const PLATFORM = { authorization: 'Bearer test-platform-admin-token-0123456789' };

function baseTenantBody(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Acme Bank',
    adminEmail: uniqueEmail('admin'),
    adminName: 'Ada Admin',
    adminPassword: 'a long enough password',
    ...overrides,
  };
}

// Counts only this test's tenants (by name), so tenants created by tests running alongside do not count.
async function countTenantsNamed(name: string): Promise<number> {
  const [row] = await ctx.orm.em
    .fork()
    .execute<{ n: string }[]>('select count(*) as n from tenant where name = ?', [name]);
  return Number(row!.n);
}

const tenantBody = baseTenantBody;

describe('POST /v1/platform/tenants', () => {
  it('provisions the tenant through a workflow and stores every row', async () => {
    const body = tenantBody();
    const res = await call(ctx, 'POST', '/v1/platform/tenants', { headers: PLATFORM, body });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), name: 'Acme Bank', adminUserId: expect.any(String) });
    const tenantId: string = res.body.id;
    const em = ctx.orm.em.fork();

    const [workspace] = await em.execute('select * from workspace where tenant_id = ?', [tenantId]);
    expect(workspace).toMatchObject({ kind: 'TENANT', name: 'Acme Bank', status: 'ACTIVE' });
    const roles = await em.execute(
      'select name, permissions, system from role where workspace_id = ? order by name',
      [workspace!.id],
    );
    expect(roles.map((r) => r.name)).toEqual([
      'Admin',
      'Customer Service',
      'Finance',
      'Operations',
      'Technical',
    ]);
    expect(roles.every((r) => r.system)).toBe(true);
    expect(roles.find((r) => r.name === 'Admin')!.permissions).toContain('tenant.partners.manage');

    const [user] = await em.execute('select * from app_user where id = ?', [res.body.adminUserId]);
    expect(user).toMatchObject({ login_email: body.adminEmail, name: 'Ada Admin', activated: true });
    expect(user!.password_hash).toMatch(/^\$argon2id\$/);
    const [membership] = await em.execute(
      'select r.name from membership m join role r on r.id = m.role_id where m.user_id = ? and m.workspace_id = ?',
      [res.body.adminUserId, workspace!.id],
    );
    expect(membership).toEqual({ name: 'Admin' });
    const channels = await em.execute(
      'select code, status from channel_product where tenant_id = ? order by code',
      [tenantId],
    );
    expect(channels).toEqual([
      { code: 'INTERNAL', status: 'ACTIVE' },
      { code: 'SANDBOX_BANK', status: 'ACTIVE' },
    ]);
    expect(
      await em.execute('select 1 from pending_credential where password_hash = ?', [user!.password_hash]),
    ).toHaveLength(0);

    const handle = ctx.temporal.workflow.getHandle(`tenant-provisioning-${tenantId}`);
    const description = await handle.describe();
    expect(description.status.name).toBe('COMPLETED');
    expect(description.typedSearchAttributes.get({ name: 'TenantId', type: 'KEYWORD' } as never)).toBe(
      tenantId,
    );
    // Payloads decoded: the tenant and admin email are visible, the password and its hash are not.
    await expectHistoryFreeOf(
      ctx,
      handle.workflowId,
      [body.adminPassword, user!.password_hash],
      [tenantId, body.adminEmail],
    );
  });

  it('answers 409 CONFLICT for a repeated request with a taken admin email, creating nothing', async () => {
    const body = tenantBody({ name: `Conflict Bank ${uniqueEmail('n')}` });
    expect((await call(ctx, 'POST', '/v1/platform/tenants', { headers: PLATFORM, body })).status).toBe(201);
    const tenants = await countTenantsNamed(body.name as string);
    expect(tenants).toBe(1);
    expectProblem(
      await call(ctx, 'POST', '/v1/platform/tenants', { headers: PLATFORM, body }),
      409,
      'CONFLICT',
    );
    expect(await countTenantsNamed(body.name as string)).toBe(tenants);
  });

  it('refuses bad input, a missing or wrong token and an oversize body with nothing written', async () => {
    const name = `Refused Bank ${uniqueEmail('n')}`;
    const tenantBody = (overrides: Record<string, unknown> = {}) => baseTenantBody({ name, ...overrides });
    const bad = [
      { headers: PLATFORM, body: { ...tenantBody(), adminPassword: 'short' } },
      { headers: PLATFORM, body: { ...tenantBody(), adminPassword: 'x'.repeat(129) } },
      { headers: PLATFORM, body: { ...tenantBody(), adminEmail: 'not-an-email' } },
      { headers: PLATFORM, body: { ...tenantBody(), extra: true } },
      { headers: PLATFORM, body: { name } },
      { headers: PLATFORM, body: { ...tenantBody(), name: 42 } },
      { headers: { ...PLATFORM, 'content-type': 'application/json' }, rawBody: '{"name": ' },
    ];
    for (const req of bad) {
      const problem = expectProblem(
        await call(ctx, 'POST', '/v1/platform/tenants', req),
        400,
        'VALIDATION_FAILED',
      );
      expect(problem).toMatchObject({
        type: expect.any(String),
        title: expect.any(String),
        status: 400,
        detail: expect.any(String),
      });
    }
    const fieldProblem = await call(ctx, 'POST', '/v1/platform/tenants', bad[0]!);
    expect(fieldProblem.body.errors).toEqual([{ path: 'body.adminPassword', message: expect.any(String) }]);

    expectProblem(
      await call(ctx, 'POST', '/v1/platform/tenants', { body: tenantBody() }),
      401,
      'UNAUTHENTICATED',
    );
    expectProblem(
      await call(ctx, 'POST', '/v1/platform/tenants', {
        headers: { authorization: 'Bearer wrong-token-wrong-token-123' },
        body: tenantBody(),
      }),
      401,
      'UNAUTHENTICATED',
    );
    const huge = JSON.stringify({ ...tenantBody(), name: 'x'.repeat(1024 * 1024 + 10) });
    expectProblem(
      await call(ctx, 'POST', '/v1/platform/tenants', {
        headers: { ...PLATFORM, 'content-type': 'application/json' },
        rawBody: huge,
      }),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    expect(await countTenantsNamed(name)).toBe(0);
  });
});
