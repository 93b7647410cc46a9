import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { assertNotThrottled, clearAccountFailures, recordFailure } from '../../domain/identity/throttle';
import { useTestContext } from '../helpers/context';
import { call, expectProblem } from '../helpers/http';
import {
  createMember,
  createPartnerWorkspace,
  createTenant,
  FINANCE_PERMISSIONS,
  TEST_PASSWORD,
  uniqueEmail,
} from '../helpers/factories';

const ctx = useTestContext({ worker: false });

/** A fresh client address per test keeps the per-IP throttle counters of tests apart. */
const ipHeaders = () => ({ 'x-forwarded-for': `10.${rnd()}.${rnd()}.${rnd()}` });

/** Signs the member in with the test password, from a fresh IP unless `headers` say otherwise. */
function login(member: { email: string }, headers: Record<string, string> = ipHeaders()) {
  return call(ctx, 'POST', '/v1/auth/login', {
    headers,
    body: { email: member.email, password: TEST_PASSWORD },
  });
}
const rnd = () => Math.floor(Math.random() * 250) + 1;

async function auditActions(userId: string): Promise<string[]> {
  const rows = await ctx.orm.em
    .fork()
    .execute<{ action: string }[]>('select action from audit_log where target_id = ? order by id', [userId]);
  return rows.map((r) => r.action);
}

async function sessionCount(userId: string): Promise<number> {
  const [row] = await ctx.orm.em
    .fork()
    .execute<{ n: string }[]>('select count(*) as n from session where user_id = ?', [userId]);
  return Number(row!.n);
}

describe('POST /v1/auth/login', () => {
  it('signs in with a new token, a session cookie and an audit row', async () => {
    const ws = await createTenant(ctx);
    const member = await createMember(ctx, ws, 'Finance');
    const headers = { ...ipHeaders(), 'user-agent': 'vitest-agent' };
    const res = await call(ctx, 'POST', '/v1/auth/login', {
      headers,
      body: { email: member.email.toUpperCase(), password: TEST_PASSWORD },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      token: expect.any(String),
      expiresAt: expect.any(String),
      user: {
        id: member.userId,
        loginEmail: member.email,
        name: 'Test Finance',
        contactEmail: null,
        mustChangePassword: false,
      },
      workspace: { id: ws.workspaceId, kind: 'TENANT', name: expect.any(String), tenantId: ws.tenantId },
    });
    expect(res.body.token).not.toBe(member.token);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toContain(`session=${res.body.token}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);

    const me = await call(ctx, 'GET', '/v1/me', { token: res.body.token });
    expect(me.status).toBe(200);
    expect(me.body.role).toEqual({ id: ws.roles.Finance, name: 'Finance' });
    expect(me.body.permissions).toEqual(FINANCE_PERMISSIONS);

    const [stored] = await ctx.orm.em
      .fork()
      .execute('select id, user_agent from session where user_id = ? and user_agent is not null', [
        member.userId,
      ]);
    expect(stored!.id).not.toBe(res.body.token);
    expect(stored!.user_agent).toBe('vitest-agent');
    expect(await auditActions(member.userId)).toContain('auth.login');
  });

  it('answers the same 401 for an unknown email, a wrong password and a never-activated account', async () => {
    const ws = await createTenant(ctx);
    const member = await createMember(ctx, ws, 'Operations');
    await ctx.orm.em.fork().execute('update app_user set activated = false where id = ?', [member.userId]);
    const other = await createMember(ctx, ws, 'Operations');
    const attempts = [
      { email: uniqueEmail('nobody'), password: TEST_PASSWORD },
      { email: other.email, password: 'wrong password, long enough' },
      { email: member.email, password: TEST_PASSWORD },
    ];
    const answers = [];
    for (const body of attempts) {
      const problem = expectProblem(
        await call(ctx, 'POST', '/v1/auth/login', { headers: ipHeaders(), body }),
        401,
        'INVALID_CREDENTIALS',
      );
      answers.push({ title: problem.title, detail: problem.detail, type: problem.type });
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(await auditActions(other.userId)).toContain('auth.login_failed');
  });

  it('refuses a DISABLED membership and a SUSPENDED workspace with 403 ACCOUNT_DISABLED', async () => {
    const ws = await createTenant(ctx);
    const member = await createMember(ctx, ws, 'Finance');
    const em = ctx.orm.em.fork();
    await em.execute(`update membership set status = 'DISABLED' where user_id = ?`, [member.userId]);
    expectProblem(await login(member), 403, 'ACCOUNT_DISABLED');
    await em.execute(`update membership set status = 'ACTIVE' where user_id = ?`, [member.userId]);
    await em.execute(`update workspace set status = 'SUSPENDED' where id = ?`, [ws.workspaceId]);
    expectProblem(await login(member), 403, 'ACCOUNT_DISABLED');
  });

  it('signs in to the workspace asked for, else the oldest active membership', async () => {
    const ws = await createTenant(ctx);
    const partner = await createPartnerWorkspace(ctx, ws.tenantId);
    const member = await createMember(ctx, ws, 'Finance');
    await ctx.orm.em.fork().execute(
      `insert into membership (id, workspace_id, user_id, role_id, status, receive_chargeback_emails, created_at)
         values (?, ?, ?, ?, 'ACTIVE', false, now())`,
      [randomUUID(), partner.workspaceId, member.userId, partner.roles.Technical],
    );
    const plain = await login(member);
    expect(plain.body.workspace.id).toBe(ws.workspaceId);
    const chosen = await call(ctx, 'POST', '/v1/auth/login', {
      headers: ipHeaders(),
      body: { email: member.email, password: TEST_PASSWORD, workspaceId: partner.workspaceId },
    });
    expect(chosen.status).toBe(200);
    expect(chosen.body.workspace).toMatchObject({ id: partner.workspaceId, kind: 'PARTNER' });
    const me = await call(ctx, 'GET', '/v1/me', { token: chosen.body.token });
    expect(me.body.role.name).toBe('Technical');
    expectProblem(
      await call(ctx, 'POST', '/v1/auth/login', {
        headers: ipHeaders(),
        body: { email: member.email, password: TEST_PASSWORD, workspaceId: randomUUID() },
      }),
      403,
      'ACCOUNT_DISABLED',
    );
  });

  it('answers bad inputs with 400 problem+json and creates no session', async () => {
    const ws = await createTenant(ctx);
    const member = await createMember(ctx, ws, 'Finance');
    const before = await sessionCount(member.userId);
    const bad: unknown[] = [
      {},
      { email: member.email },
      { password: TEST_PASSWORD },
      { email: 42, password: TEST_PASSWORD },
      { email: member.email, password: 123456789012 },
      { email: 'not-an-email', password: TEST_PASSWORD },
      { email: member.email, password: TEST_PASSWORD, extra: 1 },
      { email: member.email, password: 'x'.repeat(129) },
      { email: member.email, password: '' },
      { email: member.email, password: TEST_PASSWORD, workspaceId: 'nope' },
      [member.email, TEST_PASSWORD],
    ];
    for (const body of bad) {
      expectProblem(
        await call(ctx, 'POST', '/v1/auth/login', { headers: ipHeaders(), body }),
        400,
        'VALIDATION_FAILED',
      );
    }
    expectProblem(
      await call(ctx, 'POST', '/v1/auth/login', {
        headers: { ...ipHeaders(), 'content-type': 'application/json' },
        rawBody: '{"email":',
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await call(ctx, 'POST', '/v1/auth/login', {
        headers: { ...ipHeaders(), 'content-type': 'application/json' },
        rawBody: JSON.stringify({ email: member.email, password: 'x'.repeat(1024 * 1024 + 1) }),
      }),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    expect(await sessionCount(member.userId)).toBe(before);
  });

  it('backs off an account after 5 failures (429 with Retry-After), other accounts unaffected', async () => {
    const ws = await createTenant(ctx);
    const victim = await createMember(ctx, ws, 'Finance');
    const bystander = await createMember(ctx, ws, 'Finance');
    const headers = ipHeaders();
    for (let i = 0; i < 5; i++) {
      expectProblem(
        await call(ctx, 'POST', '/v1/auth/login', {
          headers,
          body: { email: victim.email, password: `wrong password ${i}` },
        }),
        401,
        'INVALID_CREDENTIALS',
      );
    }
    const limited = await call(ctx, 'POST', '/v1/auth/login', {
      headers: ipHeaders(),
      body: { email: victim.email, password: TEST_PASSWORD },
    });
    expectProblem(limited, 429, 'RATE_LIMITED');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const ok = await call(ctx, 'POST', '/v1/auth/login', {
      headers,
      body: { email: bystander.email, password: TEST_PASSWORD },
    });
    expect(ok.status).toBe(200);
  });

  it('backs off an IP after 20 failures across accounts', async () => {
    const ws = await createTenant(ctx);
    const member = await createMember(ctx, ws, 'Finance');
    const headers = ipHeaders();
    for (let i = 0; i < 20; i++) {
      await call(ctx, 'POST', '/v1/auth/login', {
        headers,
        body: { email: uniqueEmail('spray'), password: 'some guessed password' },
      });
    }
    const limited = await login(member, headers);
    expectProblem(limited, 429, 'RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const elsewhere = await login(member);
    expect(elsewhere.status).toBe(200);
  });
});

describe('POST /v1/auth/logout', () => {
  it('revokes the session: the token stops working, the cookie is cleared, an audit row is written', async () => {
    const ws = await createTenant(ctx);
    const member = await createMember(ctx, ws, 'Finance');
    const res = await call(ctx, 'POST', '/v1/auth/logout', { token: member.token });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/session=;/);
    expectProblem(await call(ctx, 'GET', '/v1/me', { token: member.token }), 401, 'UNAUTHENTICATED');
    expectProblem(
      await call(ctx, 'POST', '/v1/auth/logout', { token: member.token }),
      401,
      'UNAUTHENTICATED',
    );
    expectProblem(await call(ctx, 'POST', '/v1/auth/logout', {}), 401, 'UNAUTHENTICATED');
    expect(await auditActions(member.userId)).toContain('auth.logout');
  });

  it('accepts the session cookie and CSRF-checks cookie-authenticated unsafe requests', async () => {
    const ws = await createTenant(ctx);
    const member = await createMember(ctx, ws, 'Finance');
    const cookie = { cookie: `session=${member.token}` };
    expect((await call(ctx, 'GET', '/v1/me', { headers: cookie })).status).toBe(200);
    expectProblem(
      await call(ctx, 'POST', '/v1/auth/logout', { headers: { ...cookie, origin: 'https://evil.example' } }),
      403,
      'FORBIDDEN',
    );
    expect((await call(ctx, 'GET', '/v1/me', { headers: cookie })).status).toBe(200);
    const res = await call(ctx, 'POST', '/v1/auth/logout', {
      headers: { ...cookie, origin: new URL(ctx.config.PORTAL_URL).origin },
    });
    expect(res.status).toBe(204);
    expectProblem(await call(ctx, 'GET', '/v1/me', { headers: cookie }), 401, 'UNAUTHENTICATED');
  });
});

describe('GET/DELETE /v1/me/sessions', () => {
  it('lists own sessions without exposing token digests and revokes one by its ID', async () => {
    const ws = await createTenant(ctx);
    const member = await createMember(ctx, ws, 'Finance');
    const other = await createMember(ctx, ws, 'Finance');
    const second = await login(member, { ...ipHeaders(), 'user-agent': 'second-device' });
    const list = await call(ctx, 'GET', '/v1/me/sessions', { token: member.token });
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(2);
    const current = list.body.data.find((s: any) => s.current);
    const device = list.body.data.find((s: any) => !s.current);
    expect(device).toMatchObject({ userAgent: 'second-device', workspaceId: ws.workspaceId, current: false });
    const digests = await ctx.orm.em
      .fork()
      .execute<{ id: string }[]>('select id from session where user_id = ?', [member.userId]);
    for (const d of digests) expect(JSON.stringify(list.body)).not.toContain(d.id);

    const otherList = await call(ctx, 'GET', '/v1/me/sessions', { token: other.token });
    expectProblem(
      await call(ctx, 'DELETE', `/v1/me/sessions/${otherList.body.data[0].id}`, { token: member.token }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await call(ctx, 'DELETE', '/v1/me/sessions/short', { token: member.token }),
      400,
      'VALIDATION_FAILED',
    );
    expect((await call(ctx, 'GET', '/v1/me', { token: other.token })).status).toBe(200);

    expect((await call(ctx, 'DELETE', `/v1/me/sessions/${device.id}`, { token: member.token })).status).toBe(
      204,
    );
    expectProblem(await call(ctx, 'GET', '/v1/me', { token: second.body.token }), 401, 'UNAUTHENTICATED');
    expect((await call(ctx, 'GET', '/v1/me', { token: member.token })).status).toBe(200);
    expect((await call(ctx, 'DELETE', `/v1/me/sessions/${current.id}`, { token: member.token })).status).toBe(
      204,
    );
    expectProblem(await call(ctx, 'GET', '/v1/me', { token: member.token }), 401, 'UNAUTHENTICATED');
    expect(await auditActions(member.userId)).toContain('auth.session_revoked');
  });
});

describe('throttle module', () => {
  it('holds an IP to its request cap and lets a success clear the account back-off', async () => {
    const em = ctx.orm.em.fork();
    const subject = { action: `cap-${randomUUID()}`, ip: `192.0.2.${rnd()}-${randomUUID()}`, account: null };
    for (let i = 0; i < 3; i++) await assertNotThrottled(em, subject, { requestsPerMinute: 3 });
    const err = await assertNotThrottled(em, subject, { requestsPerMinute: 3 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(Number((err as any).options.headers['Retry-After'])).toBeGreaterThanOrEqual(1);

    const account = { action: `acct-${randomUUID()}`, ip: null, account: uniqueEmail('throttled') };
    for (let i = 0; i < 5; i++) await recordFailure(em, account);
    await expect(assertNotThrottled(em, account)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await clearAccountFailures(em, account);
    await expect(assertNotThrottled(em, account)).resolves.toBeUndefined();
  });
});
