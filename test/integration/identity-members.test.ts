import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context';
import { call, expectProblem } from '../helpers/http';
import {
  createMember,
  createPartnerWorkspace,
  createTenant,
  TEST_PASSWORD,
  uniqueEmail,
  type WorkspaceFixture,
} from '../helpers/factories';

const ctx = useTestContext({ worker: false });

const rnd = () => Math.floor(Math.random() * 250) + 1;
const ipHeaders = () => ({ 'x-forwarded-for': `10.${rnd()}.${rnd()}.${rnd()}` });
const INITIAL_PASSWORD = 'initial password set by the admin';

function memberBody(ws: WorkspaceFixture, overrides: Record<string, unknown> = {}) {
  return {
    name: 'Nina Newcomer',
    loginEmail: uniqueEmail('new'),
    contactEmail: 'nina.contact@example.test',
    receiveChargebackEmails: true,
    password: INITIAL_PASSWORD,
    confirmPassword: INITIAL_PASSWORD,
    roleId: ws.roles.Finance,
    status: 'ACTIVE',
    ...overrides,
  };
}

async function count(sql: string, params: unknown[]): Promise<number> {
  const [row] = await ctx.orm.em.fork().execute<{ n: string }[]>(sql, params);
  return Number(row!.n);
}

const membershipCount = (ws: WorkspaceFixture) =>
  count('select count(*) as n from membership where workspace_id = ?', [ws.workspaceId]);

async function auditRows(workspaceId: string, action: string) {
  return ctx.orm.em
    .fork()
    .execute<{ target_id: string; data: Record<string, unknown>; actor_user_id: string }[]>(
      'select target_id, data, actor_user_id from audit_log where workspace_id = ? and action = ? order by id',
      [workspaceId, action],
    );
}

async function signIn(email: string, password = TEST_PASSWORD) {
  return call(ctx, 'POST', '/v1/auth/login', { headers: ipHeaders(), body: { email, password } });
}

describe('POST /v1/workspace/members', () => {
  it('adds a member who must replace the initial password before anything but /v1/me', async () => {
    const ws = await createTenant(ctx);
    const body = memberBody(ws);
    const res = await call(ctx, 'POST', '/v1/workspace/members', { token: ws.admin.token, body });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      userId: expect.any(String),
      name: 'Nina Newcomer',
      loginEmail: body.loginEmail,
      contactEmail: 'nina.contact@example.test',
      roleId: ws.roles.Finance,
      roleName: 'Finance',
      status: 'ACTIVE',
      receiveChargebackEmails: true,
      mustChangePassword: true,
      createdAt: expect.any(String),
    });
    const [audit] = await auditRows(ws.workspaceId, 'member.added');
    expect(audit).toMatchObject({ target_id: res.body.userId, actor_user_id: ws.admin.userId });

    const login = await signIn(body.loginEmail, INITIAL_PASSWORD);
    expect(login.status).toBe(200);
    expect(login.body.user.mustChangePassword).toBe(true);
    const token = login.body.token;
    const other = (await signIn(body.loginEmail, INITIAL_PASSWORD)).body.token;
    expect((await call(ctx, 'GET', '/v1/me', { token })).body.user.mustChangePassword).toBe(true);
    expect((await call(ctx, 'GET', '/v1/me/security', { token })).status).toBe(200);
    expectProblem(await call(ctx, 'GET', '/v1/workspace', { token }), 403, 'PASSWORD_CHANGE_REQUIRED');
    expectProblem(await call(ctx, 'GET', '/v1/me/sessions', { token }), 403, 'PASSWORD_CHANGE_REQUIRED');

    const change = (b: unknown) =>
      call(ctx, 'PUT', '/v1/me/password', { token, headers: ipHeaders(), body: b });
    expectProblem(
      await change({ currentPassword: 'not the initial one', newPassword: 'my own new password' }),
      400,
      'INVALID_CREDENTIALS',
    );
    for (const bad of [
      { currentPassword: INITIAL_PASSWORD, newPassword: 'short' },
      { currentPassword: INITIAL_PASSWORD, newPassword: 'x'.repeat(129) },
      { currentPassword: INITIAL_PASSWORD, newPassword: INITIAL_PASSWORD },
      { currentPassword: INITIAL_PASSWORD },
      { currentPassword: INITIAL_PASSWORD, newPassword: 'my own new password', extra: true },
      { currentPassword: 1, newPassword: 'my own new password' },
    ]) {
      expectProblem(await change(bad), 400, 'VALIDATION_FAILED');
    }
    expect((await signIn(body.loginEmail, INITIAL_PASSWORD)).status).toBe(200);

    expect(
      (await change({ currentPassword: INITIAL_PASSWORD, newPassword: 'my own new password' })).status,
    ).toBe(204);
    expect((await call(ctx, 'GET', '/v1/workspace', { token })).status).toBe(200);
    expectProblem(await call(ctx, 'GET', '/v1/me', { token: other }), 401, 'UNAUTHENTICATED');
    expectProblem(await signIn(body.loginEmail, INITIAL_PASSWORD), 401, 'INVALID_CREDENTIALS');
    const fresh = await signIn(body.loginEmail, 'my own new password');
    expect(fresh.body.user.mustChangePassword).toBe(false);
    expect((await auditRows(ws.workspaceId, 'user.password_changed')).length).toBe(1);
  });

  it('refuses bad input, a foreign role and a taken email, with nothing created', async () => {
    const ws = await createTenant(ctx);
    const other = await createTenant(ctx);
    const before = await membershipCount(ws);
    const mismatch = expectProblem(
      await call(ctx, 'POST', '/v1/workspace/members', {
        token: ws.admin.token,
        body: memberBody(ws, { confirmPassword: 'a different password!' }),
      }),
      400,
      'VALIDATION_FAILED',
    );
    expect(mismatch.errors).toEqual([{ path: 'body.confirmPassword', message: expect.any(String) }]);
    const { name: _name, ...withoutName } = memberBody(ws);
    const { status: _status, ...withoutStatus } = memberBody(ws);
    const bad: unknown[] = [
      memberBody(ws, { password: 'short', confirmPassword: 'short' }),
      memberBody(ws, { password: 'y'.repeat(129), confirmPassword: 'y'.repeat(129) }),
      memberBody(ws, { loginEmail: 'nope' }),
      memberBody(ws, { roleId: 'not-a-uuid' }),
      memberBody(ws, { status: 'SLEEPING' }),
      memberBody(ws, { name: 'n'.repeat(201) }),
      memberBody(ws, { name: 7 }),
      memberBody(ws, { receiveChargebackEmails: 'yes' }),
      memberBody(ws, { isAdmin: true }),
      withoutName,
      withoutStatus,
    ];
    for (const body of bad) {
      expectProblem(
        await call(ctx, 'POST', '/v1/workspace/members', { token: ws.admin.token, body }),
        400,
        'VALIDATION_FAILED',
      );
    }
    expectProblem(
      await call(ctx, 'POST', '/v1/workspace/members', {
        token: ws.admin.token,
        body: memberBody(ws, { roleId: other.roles.Finance }),
      }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await call(ctx, 'POST', '/v1/workspace/members', {
        token: ws.admin.token,
        body: memberBody(ws, { loginEmail: other.admin.email.toUpperCase() }),
      }),
      409,
      'EMAIL_TAKEN',
    );
    expect(await membershipCount(ws)).toBe(before);
    expect(await count('select count(*) as n from app_user where name = ?', ['n'.repeat(201)])).toBe(0);
  });

  it('lists members newest first with keyset pages, and hides other workspaces', async () => {
    const ws = await createTenant(ctx);
    const other = await createTenant(ctx);
    await createMember(ctx, ws, 'Finance');
    await createMember(ctx, ws, 'Technical');
    const page1 = await call(ctx, 'GET', '/v1/workspace/members?limit=2', { token: ws.admin.token });
    expect(page1.status).toBe(200);
    expect(page1.body.data).toHaveLength(2);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await call(ctx, 'GET', `/v1/workspace/members?limit=2&cursor=${page1.body.nextCursor}`, {
      token: ws.admin.token,
    });
    expect(page2.body.data).toHaveLength(1);
    expect(page2.body.nextCursor).toBeNull();
    const all = [...page1.body.data, ...page2.body.data].map((m: any) => m.userId);
    expect(new Set(all).size).toBe(3);
    expect(all).toContain(ws.admin.userId);
    for (const q of ['limit=0', 'limit=201', 'limit=abc', 'cursor=garbage']) {
      expectProblem(
        await call(ctx, 'GET', `/v1/workspace/members?${q}`, { token: ws.admin.token }),
        400,
        'VALIDATION_FAILED',
      );
    }
    expectProblem(
      await call(ctx, 'GET', `/v1/workspace/members/${other.admin.userId}`, { token: ws.admin.token }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await call(ctx, 'GET', '/v1/workspace/members/not-a-uuid', { token: ws.admin.token }),
      400,
      'VALIDATION_FAILED',
    );
    const one = await call(ctx, 'GET', `/v1/workspace/members/${ws.admin.userId}`, { token: ws.admin.token });
    expect(one.body).toMatchObject({ userId: ws.admin.userId, roleName: 'Admin', status: 'ACTIVE' });
  });
});

describe('PATCH /v1/workspace/members/:userId', () => {
  it('updates fields and role (effective on the next request); loginEmail is immutable', async () => {
    const ws = await createTenant(ctx);
    const member = await createMember(ctx, ws, 'Finance');
    const path = `/v1/workspace/members/${member.userId}`;
    const patch = (body: unknown) => call(ctx, 'PATCH', path, { token: ws.admin.token, body });

    for (const body of [
      { loginEmail: uniqueEmail('changed') },
      { loginEmail: member.email, name: 'Also a name' },
      { loginEmail: 'x', bogus: 1 },
    ]) {
      const problem = expectProblem(await patch(body), 400, 'IMMUTABLE_FIELD');
      expect(problem.errors).toEqual([{ path: 'body.loginEmail', message: 'immutable' }]);
    }
    for (const body of [
      {},
      { bogus: 1 },
      { status: 'GONE' },
      { name: '' },
      { roleId: 'x' },
      { contactEmail: 'no' },
    ]) {
      expectProblem(await patch(body), 400, 'VALIDATION_FAILED');
    }
    const other = await createTenant(ctx);
    expectProblem(await patch({ roleId: other.roles.Admin }), 404, 'NOT_FOUND');
    expect((await call(ctx, 'GET', path, { token: ws.admin.token })).body).toMatchObject({
      name: 'Test Finance',
      loginEmail: member.email,
      roleName: 'Finance',
    });

    const res = await patch({
      name: 'Renamed',
      contactEmail: 'Contact@Example.test',
      receiveChargebackEmails: true,
      roleId: ws.roles.Technical,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Renamed',
      contactEmail: 'contact@example.test',
      receiveChargebackEmails: true,
      roleName: 'Technical',
      loginEmail: member.email,
    });
    const me = await call(ctx, 'GET', '/v1/me', { token: member.token });
    expect(me.body.permissions).toEqual(['settings.webhooks.edit', 'settings.payment.edit']);
    expect((await patch({ contactEmail: null })).body.contactEmail).toBeNull();
    expect((await auditRows(ws.workspaceId, 'member.updated')).length).toBe(2);
  });

  it('disabling a member ends its session on the next request and blocks its login there only', async () => {
    const ws = await createTenant(ctx);
    const partner = await createPartnerWorkspace(ctx, ws.tenantId);
    const member = await createMember(ctx, ws, 'Operations');
    const partnerMember = await createMember(ctx, partner, 'Finance', { email: uniqueEmail('dual') });
    await ctx.orm.em.fork().execute(
      `insert into membership (id, workspace_id, user_id, role_id, status, receive_chargeback_emails, created_at)
         values (?, ?, ?, ?, 'ACTIVE', false, now())`,
      [randomUUID(), ws.workspaceId, partnerMember.userId, ws.roles.Operations],
    );
    const dualInTenant = (
      await call(ctx, 'POST', '/v1/auth/login', {
        headers: ipHeaders(),
        body: { email: partnerMember.email, password: TEST_PASSWORD, workspaceId: ws.workspaceId },
      })
    ).body.token;
    expect((await call(ctx, 'GET', '/v1/me', { token: member.token })).status).toBe(200);

    const res = await call(ctx, 'PATCH', `/v1/workspace/members/${member.userId}`, {
      token: ws.admin.token,
      body: { status: 'DISABLED' },
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('DISABLED');
    expectProblem(await call(ctx, 'GET', '/v1/me', { token: member.token }), 401, 'UNAUTHENTICATED');
    expect(await count('select count(*) as n from session where user_id = ?', [member.userId])).toBe(0);
    expectProblem(await signIn(member.email), 403, 'ACCOUNT_DISABLED');
    const [audit] = await auditRows(ws.workspaceId, 'member.disabled');
    expect(audit).toMatchObject({
      target_id: member.userId,
      data: expect.objectContaining({ revokedSessions: 1 }),
    });

    await call(ctx, 'PATCH', `/v1/workspace/members/${partnerMember.userId}`, {
      token: ws.admin.token,
      body: { status: 'DISABLED' },
    });
    expectProblem(await call(ctx, 'GET', '/v1/me', { token: dualInTenant }), 401, 'UNAUTHENTICATED');
    expect((await call(ctx, 'GET', '/v1/me', { token: partnerMember.token })).status).toBe(200);
    const relogin = await signIn(partnerMember.email);
    expect(relogin.body.workspace.id).toBe(partner.workspaceId);

    const enabled = await call(ctx, 'PATCH', `/v1/workspace/members/${member.userId}`, {
      token: ws.admin.token,
      body: { status: 'ACTIVE' },
    });
    expect(enabled.body.status).toBe('ACTIVE');
    expect((await signIn(member.email)).status).toBe(200);
  });

  it('never removes, demotes or disables the last active Admin, also under concurrent changes', async () => {
    const ws = await createTenant(ctx);
    const self = `/v1/workspace/members/${ws.admin.userId}`;
    expectProblem(
      await call(ctx, 'PATCH', self, { token: ws.admin.token, body: { roleId: ws.roles.Finance } }),
      409,
      'CONFLICT',
    );
    expectProblem(
      await call(ctx, 'PATCH', self, { token: ws.admin.token, body: { status: 'DISABLED' } }),
      409,
      'CONFLICT',
    );
    const second = await createMember(ctx, ws, 'Admin');
    const results = await Promise.all([
      call(ctx, 'PATCH', `/v1/workspace/members/${second.userId}`, {
        token: second.token,
        body: { roleId: ws.roles.Finance },
      }),
      call(ctx, 'PATCH', self, { token: ws.admin.token, body: { status: 'DISABLED' } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.body.code).toBe('CONFLICT');
    const admins = await count(
      `select count(*) as n from membership where workspace_id = ? and role_id = ? and status = 'ACTIVE'`,
      [ws.workspaceId, ws.roles.Admin],
    );
    expect(admins).toBe(1);
  });

  it('does not let a team manager hand out or touch permissions it lacks', async () => {
    const ws = await createTenant(ctx);
    const roleRes = await call(ctx, 'POST', '/v1/workspace/roles', {
      token: ws.admin.token,
      body: {
        name: 'Team lead',
        permissions: ['settings.team.view', 'settings.team.manage', 'payment.view'],
      },
    });
    expect(roleRes.status).toBe(201);
    const lead = await createMember(ctx, ws, roleRes.body.id);
    const finance = await createMember(ctx, ws, 'Finance');
    const before = await membershipCount(ws);
    expectProblem(
      await call(ctx, 'POST', '/v1/workspace/members', {
        token: lead.token,
        body: memberBody(ws, { roleId: ws.roles.Admin }),
      }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await call(ctx, 'PATCH', `/v1/workspace/members/${ws.admin.userId}`, {
        token: lead.token,
        body: { status: 'DISABLED' },
      }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await call(ctx, 'PATCH', `/v1/workspace/members/${finance.userId}`, {
        token: lead.token,
        body: { name: 'x' },
      }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await call(ctx, 'PATCH', `/v1/workspace/members/${lead.userId}`, {
        token: lead.token,
        body: { roleId: ws.roles.Admin },
      }),
      403,
      'FORBIDDEN',
    );
    expect(await membershipCount(ws)).toBe(before);
    const ok = await call(ctx, 'POST', '/v1/workspace/members', {
      token: lead.token,
      body: memberBody(ws, { roleId: roleRes.body.id }),
    });
    expect(ok.status).toBe(201);
    expectProblem(
      await call(ctx, 'POST', '/v1/workspace/members', {
        token: lead.token,
        body: memberBody(ws, { roleId: ws.roles['Customer Service'] }),
      }),
      403,
      'FORBIDDEN',
    );
  });
});
