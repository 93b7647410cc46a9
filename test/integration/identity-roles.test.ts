import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ROUTE_ACCESS } from '../../api/openapi';
import { SYSTEM_ROLES } from '../../domain/permissions';
import { useTestContext } from '../helpers/context';
import { call, expectProblem } from '../helpers/http';
import {
  createMember,
  createPartnerWorkspace,
  createTenant,
  FINANCE_PERMISSIONS,
} from '../helpers/factories';

const ctx = useTestContext({ worker: false });

async function roleCount(workspaceId: string): Promise<number> {
  const [row] = await ctx.orm.em
    .fork()
    .execute<{ n: string }[]>('select count(*) as n from role where workspace_id = ?', [workspaceId]);
  return Number(row!.n);
}

async function auditActions(workspaceId: string): Promise<string[]> {
  const rows = await ctx.orm.em
    .fork()
    .execute<{ action: string }[]>('select action from audit_log where workspace_id = ? order by id', [
      workspaceId,
    ]);
  return rows.map((r) => r.action);
}

describe('roles', () => {
  it('lists the five system roles with the seed-004 permissions and member counts', async () => {
    const ws = await createTenant(ctx);
    await createMember(ctx, ws, 'Finance');
    await createMember(ctx, ws, 'Finance');
    const res = await call(ctx, 'GET', '/v1/workspace/roles', { token: ws.admin.token });
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(res.body.data.map((r: any) => [r.name, r]));
    expect(Object.keys(byName).sort()).toEqual([
      'Admin',
      'Customer Service',
      'Finance',
      'Operations',
      'Technical',
    ]);
    expect(byName.Admin).toMatchObject({ system: true, memberCount: 1 });
    expect(byName.Admin.permissions).toContain('tenant.partners.manage');
    expect(byName.Finance).toMatchObject({
      memberCount: 2,
      permissions: FINANCE_PERMISSIONS,
    });
    expect(byName['Customer Service'].permissions).toEqual(['home.view', 'payment.view']);
    expect(byName.Technical.permissions).toEqual(['settings.webhooks.edit', 'settings.payment.edit']);
  });

  it('creates, edits and deletes a custom role; a change applies to the members’ next request', async () => {
    const ws = await createTenant(ctx);
    const created = await call(ctx, 'POST', '/v1/workspace/roles', {
      token: ws.admin.token,
      body: {
        name: 'Auditor',
        description: 'Read only',
        permissions: ['payment.view', 'home.view', 'home.view'],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Auditor',
      description: 'Read only',
      permissions: ['home.view', 'payment.view'],
      system: false,
      memberCount: 0,
    });
    const roleId = created.body.id;
    const member = await createMember(ctx, ws, roleId);
    expect((await call(ctx, 'GET', '/v1/me', { token: member.token })).body.permissions).toEqual([
      'home.view',
      'payment.view',
    ]);
    expectProblem(await call(ctx, 'GET', '/v1/workspace/members', { token: member.token }), 403, 'FORBIDDEN');

    const updated = await call(ctx, 'PATCH', `/v1/workspace/roles/${roleId}`, {
      token: ws.admin.token,
      body: { name: 'Team viewer', description: null, permissions: ['settings.team.view'] },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Team viewer', description: null, memberCount: 1 });
    expect((await call(ctx, 'GET', '/v1/workspace/members', { token: member.token })).status).toBe(200);

    expectProblem(
      await call(ctx, 'DELETE', `/v1/workspace/roles/${roleId}`, { token: ws.admin.token }),
      409,
      'ROLE_IN_USE',
    );
    await call(ctx, 'PATCH', `/v1/workspace/members/${member.userId}`, {
      token: ws.admin.token,
      body: { roleId: ws.roles.Finance },
    });
    expect(
      (await call(ctx, 'DELETE', `/v1/workspace/roles/${roleId}`, { token: ws.admin.token })).status,
    ).toBe(204);
    expectProblem(
      await call(ctx, 'DELETE', `/v1/workspace/roles/${roleId}`, { token: ws.admin.token }),
      404,
      'NOT_FOUND',
    );
    const actions = await auditActions(ws.workspaceId);
    expect(actions).toEqual(expect.arrayContaining(['role.created', 'role.updated', 'role.deleted']));
  });

  it('protects system roles and refuses grants beyond the caller’s own permissions', async () => {
    const ws = await createTenant(ctx);
    const before = await roleCount(ws.workspaceId);
    expectProblem(
      await call(ctx, 'DELETE', `/v1/workspace/roles/${ws.roles.Technical}`, { token: ws.admin.token }),
      409,
      'CONFLICT',
    );
    expectProblem(
      await call(ctx, 'DELETE', `/v1/workspace/roles/${ws.roles.Admin}`, { token: ws.admin.token }),
      409,
      'CONFLICT',
    );
    expectProblem(
      await call(ctx, 'PATCH', `/v1/workspace/roles/${ws.roles.Finance}`, {
        token: ws.admin.token,
        body: { name: 'Money people' },
      }),
      409,
      'CONFLICT',
    );
    expectProblem(
      await call(ctx, 'PATCH', `/v1/workspace/roles/${ws.roles.Admin}`, {
        token: ws.admin.token,
        body: { permissions: ['home.view'] },
      }),
      409,
      'CONFLICT',
    );
    const finance = await call(ctx, 'PATCH', `/v1/workspace/roles/${ws.roles.Finance}`, {
      token: ws.admin.token,
      body: { permissions: ['balance.view', 'payout.view'] },
    });
    expect(finance.body.permissions).toEqual(['balance.view', 'payout.view']);

    const lead = await call(ctx, 'POST', '/v1/workspace/roles', {
      token: ws.admin.token,
      body: { name: 'Lead', permissions: ['settings.team.view', 'settings.team.manage', 'home.view'] },
    });
    const leadMember = await createMember(ctx, ws, lead.body.id);
    expectProblem(
      await call(ctx, 'POST', '/v1/workspace/roles', {
        token: leadMember.token,
        body: { name: 'Sneaky', permissions: ['home.view', 'payout.create'] },
      }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await call(ctx, 'PATCH', `/v1/workspace/roles/${lead.body.id}`, {
        token: leadMember.token,
        body: { permissions: ['settings.team.view', 'settings.team.manage', 'home.view', 'payout.create'] },
      }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await call(ctx, 'PATCH', `/v1/workspace/roles/${ws.roles.Operations}`, {
        token: leadMember.token,
        body: { description: 'mine now' },
      }),
      403,
      'FORBIDDEN',
    );
    const allowed = await call(ctx, 'POST', '/v1/workspace/roles', {
      token: leadMember.token,
      body: { name: 'Home only', permissions: ['home.view'] },
    });
    expect(allowed.status).toBe(201);
    expect(await roleCount(ws.workspaceId)).toBe(before + 2);
  });

  it('answers bad input with 400 (unknown keys, tenant keys outside TENANT, types, sizes) and creates nothing', async () => {
    const ws = await createTenant(ctx);
    const partner = await createPartnerWorkspace(ctx, ws.tenantId);
    const other = await createTenant(ctx);
    const before = await roleCount(ws.workspaceId);
    const partnerBefore = await roleCount(partner.workspaceId);
    const bad: unknown[] = [
      {},
      { name: 'No perms' },
      { permissions: [] },
      { name: '', permissions: [] },
      { name: 'x'.repeat(101), permissions: [] },
      { name: 'Typed', permissions: 'home.view' },
      { name: 'Typed', permissions: [1] },
      { name: 'Unknown', permissions: ['home.view', 'launch.rockets'] },
      { name: 'Extra', permissions: [], system: true },
      { name: 'Many', permissions: Array.from({ length: 101 }, () => 'home.view') },
      { name: 'Desc', permissions: [], description: 'd'.repeat(501) },
    ];
    for (const body of bad) {
      expectProblem(
        await call(ctx, 'POST', '/v1/workspace/roles', { token: ws.admin.token, body }),
        400,
        'VALIDATION_FAILED',
      );
    }
    const tenantKey = expectProblem(
      await call(ctx, 'POST', '/v1/workspace/roles', {
        token: partner.admin.token,
        body: { name: 'Wannabe tenant', permissions: ['home.view', 'tenant.fees.manage'] },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expect(tenantKey.errors[0].path).toBe('body.permissions');
    expectProblem(
      await call(ctx, 'POST', '/v1/workspace/roles', {
        token: ws.admin.token,
        body: { name: 'Admin', permissions: [] },
      }),
      409,
      'CONFLICT',
    );
    for (const body of [{}, { name: 7 }, { permissions: ['nope'] }, { extra: 1 }]) {
      expectProblem(
        await call(ctx, 'PATCH', `/v1/workspace/roles/${ws.roles.Finance}`, { token: ws.admin.token, body }),
        400,
        'VALIDATION_FAILED',
      );
    }
    expectProblem(
      await call(ctx, 'PATCH', `/v1/workspace/roles/${other.roles.Finance}`, {
        token: ws.admin.token,
        body: { description: 'x' },
      }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await call(ctx, 'DELETE', `/v1/workspace/roles/${other.roles.Finance}`, { token: ws.admin.token }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await call(ctx, 'DELETE', '/v1/workspace/roles/not-a-uuid', { token: ws.admin.token }),
      400,
      'VALIDATION_FAILED',
    );
    expect(await roleCount(ws.workspaceId)).toBe(before);
    expect(await roleCount(partner.workspaceId)).toBe(partnerBefore);
    expect(await roleCount(other.workspaceId)).toBe(5);
  });
});

describe('GET /v1/permissions and the workspace', () => {
  it('serves the catalog for the workspace kind', async () => {
    const ws = await createTenant(ctx);
    const partner = await createPartnerWorkspace(ctx, ws.tenantId);
    const tenantCatalog = await call(ctx, 'GET', '/v1/permissions', { token: ws.admin.token });
    expect(tenantCatalog.body.data).toContainEqual({
      key: 'payout.create',
      module: 'Payout',
      label: expect.any(String),
      kind: 'button',
    });
    expect(tenantCatalog.body.data.map((p: any) => p.key)).toContain('tenant.audit.view');
    const partnerCatalog = await call(ctx, 'GET', '/v1/permissions', { token: partner.admin.token });
    expect(partnerCatalog.body.data.some((p: any) => p.key.startsWith('tenant.'))).toBe(false);
    expect(partnerCatalog.body.data.map((p: any) => p.key)).toContain('settings.team.manage');
    expectProblem(await call(ctx, 'GET', '/v1/permissions'), 401, 'UNAUTHENTICATED');
  });

  it('reads and patches the workspace (settings merged), refusing bad input and other roles', async () => {
    const ws = await createTenant(ctx);
    const res = await call(ctx, 'GET', '/v1/workspace', { token: ws.admin.token });
    expect(res.body).toMatchObject({
      id: ws.workspaceId,
      kind: 'TENANT',
      tenantId: ws.tenantId,
      settings: {},
    });
    const patched = await call(ctx, 'PATCH', '/v1/workspace', {
      token: ws.admin.token,
      body: { name: 'Renamed Bank', settings: { locale: 'en-GB', theme: { dark: true } } },
    });
    expect(patched.status).toBe(200);
    const again = await call(ctx, 'PATCH', '/v1/workspace', {
      token: ws.admin.token,
      body: { settings: { locale: 'fr-FR' } },
    });
    expect(again.body).toMatchObject({
      name: 'Renamed Bank',
      settings: { locale: 'fr-FR', theme: { dark: true } },
    });
    for (const body of [
      {},
      { name: '' },
      { name: 'n'.repeat(201) },
      { settings: 'dark' },
      { settings: [1] },
      { settings: { big: 'x'.repeat(17 * 1024) } },
      { name: 'ok', kind: 'PARTNER' },
    ]) {
      expectProblem(
        await call(ctx, 'PATCH', '/v1/workspace', { token: ws.admin.token, body }),
        400,
        'VALIDATION_FAILED',
      );
    }
    const finance = await createMember(ctx, ws, 'Finance');
    expect((await call(ctx, 'GET', '/v1/workspace', { token: finance.token })).status).toBe(200);
    expectProblem(
      await call(ctx, 'PATCH', '/v1/workspace', { token: finance.token, body: { name: 'Mine' } }),
      403,
      'FORBIDDEN',
    );
    expect((await call(ctx, 'GET', '/v1/workspace', { token: ws.admin.token })).body.name).toBe(
      'Renamed Bank',
    );
    expect(await auditActions(ws.workspaceId)).toContain('workspace.updated');
  });
});

/** A request that cannot change anything: invalid path IDs and a malformed JSON body stop before any handler. */
function harmlessRequest(route: { method: string; path: string }) {
  const safe = route.method === 'GET';
  const path = route.path.replace(/\{[^}]+\}/g, safe ? randomUUID() : 'not-a-valid-id');
  return {
    method: route.method,
    path,
    options: safe ? {} : { headers: { 'content-type': 'application/json' }, rawBody: '{' },
  };
}

describe('permission table', () => {
  it('lets each system role through the routes its permissions cover and answers 403 elsewhere', async () => {
    const ws = await createTenant(ctx);
    const gated = ROUTE_ACCESS.filter((r) => r.access.includes('.'));
    expect(gated.length).toBeGreaterThan(5);
    for (const role of SYSTEM_ROLES) {
      const member = role.name === 'Admin' ? ws.admin : await createMember(ctx, ws, role.name);
      const held = new Set<string>(role.permissions('TENANT'));
      const me = await call(ctx, 'GET', '/v1/me', { token: member.token });
      expect(new Set(me.body.permissions)).toEqual(held);
      let allowed = 0;
      let forbidden = 0;
      for (const route of gated) {
        const req = harmlessRequest(route);
        const res = await call(ctx, req.method, req.path, { token: member.token, ...req.options });
        const label = `${role.name} ${route.method} ${route.path} -> ${res.status} ${res.body?.code}`;
        if (held.has(route.access)) {
          expect(res.body?.code, label).not.toBe('FORBIDDEN');
          expect(res.status, label).not.toBe(401);
          allowed++;
        } else {
          expect(`${res.status} ${res.body?.code}`, label).toBe('403 FORBIDDEN');
          forbidden++;
        }
      }
      expect(allowed + forbidden).toBe(gated.length);
      if (role.name === 'Admin') expect(forbidden).toBe(0);
      else expect(forbidden).toBeGreaterThan(0);
    }
    const explicit: [string, string, string, number][] = [
      ['Admin', 'PATCH', '/v1/workspace', 200],
      ['Finance', 'GET', '/v1/workspace/members', 403],
      ['Operations', 'GET', '/v1/workspace/roles', 403],
      ['Customer Service', 'PATCH', '/v1/workspace', 403],
      ['Technical', 'POST', '/v1/workspace/roles', 403],
    ];
    for (const [roleName, method, path, status] of explicit) {
      const member = roleName === 'Admin' ? ws.admin : await createMember(ctx, ws, roleName);
      const body =
        method === 'GET'
          ? undefined
          : method === 'PATCH'
            ? { name: 'Table' }
            : { name: 'T', permissions: [] };
      const res = await call(ctx, method, path, { token: member.token, body });
      expect(res.status, `${roleName} ${method} ${path}`).toBe(status);
    }
  });

  it('keeps partners out of every tenant route, whatever their role', async () => {
    const ws = await createTenant(ctx);
    const partner = await createPartnerWorkspace(ctx, ws.tenantId);
    const tenantRoutes = ROUTE_ACCESS.filter((r) => r.access.startsWith('tenant.'));
    for (const route of tenantRoutes) {
      const req = harmlessRequest(route);
      const res = await call(ctx, req.method, req.path, { token: partner.admin.token, ...req.options });
      expect(`${res.status} ${res.body?.code}`, `${route.method} ${route.path}`).toBe('403 FORBIDDEN');
    }
    const me = await call(ctx, 'GET', '/v1/me', { token: partner.admin.token });
    expect(me.body.permissions.some((p: string) => p.startsWith('tenant.'))).toBe(false);
  });
});
