import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../../domain/passwords';
import { insertUser } from '../../db/store/tenancy';
import { useTestContext } from '../helpers/context';
import { call, expectProblem } from '../helpers/http';
import {
  createMember,
  createPartnerWorkspace,
  createTenant,
  login,
  uniqueEmail,
  type WorkspaceFixture,
} from '../helpers/factories';
import { expectHistoryFreeOf, outboxMails, tokenFrom, tokenSecrets } from './messaging-helpers';

const ctx = useTestContext();
const NEW_PASSWORD = 'a brand new invitee password';

async function invite(ws: WorkspaceFixture, email: string, role = 'Finance', token = ws.admin.token) {
  const res = await call(ctx, 'POST', '/v1/workspace/invitations', {
    token,
    body: { email, roleId: ws.roles[role] ?? role },
  });
  expect(res.status).toBe(202);
  return res.body as { id: string; status: string; expiresAt: string; roleId: string; email: string };
}

async function mailedToken(email: string, count = 1): Promise<string> {
  const mails = await outboxMails(ctx, email, count);
  return tokenFrom(mails[0]!.text);
}

const workflowResult = (id: string) => ctx.temporal.workflow.getHandle(`invitation-${id}`).result();

async function membership(workspaceId: string, email: string) {
  return ctx.orm.em.fork().execute(
    `select m.id, r.name as role from membership m join app_user u on u.id = m.user_id join role r on r.id = m.role_id
      where m.workspace_id = ? and u.login_email = ?`,
    [workspaceId, email],
  );
}

describe('invitations', () => {
  it('lets a new user accept by token: account created, membership with the invited role, link dead after', async () => {
    const ws = await createTenant(ctx);
    const email = uniqueEmail('newbie');
    const created = await invite(ws, email);
    expect(created).toMatchObject({ email, roleId: ws.roles.Finance, status: 'PENDING' });
    expect(Date.parse(created.expiresAt)).toBeGreaterThan(Date.now() + 6 * 86_400_000);

    const [mail] = await outboxMails(ctx, email);
    expect(mail!.subject).toContain('invited');
    expect(mail!.text).toContain(`${ctx.config.PORTAL_URL}/accept-invitation?token=`);
    expect(mail!.html).toContain('accept-invitation?token=');
    const token = tokenFrom(mail!.text);

    const missing = expectProblem(
      await call(ctx, 'POST', '/v1/invitations/accept', { body: { token } }),
      400,
      'VALIDATION_FAILED',
    );
    expect(missing.errors.map((e: { path: string }) => e.path)).toEqual(['body.name', 'body.password']);
    const accepted = await call(ctx, 'POST', '/v1/invitations/accept', {
      body: { token, name: 'Nina Newbie', password: NEW_PASSWORD },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ workspaceId: ws.workspaceId, userId: expect.any(String) });

    const [user] = await ctx.orm.em
      .fork()
      .execute('select * from app_user where id = ?', [accepted.body.userId]);
    expect(user).toMatchObject({ login_email: email, name: 'Nina Newbie', activated: true });
    expect(await verifyPassword(user!.password_hash, NEW_PASSWORD)).toBe(true);
    expect(await membership(ws.workspaceId, email)).toEqual([{ id: expect.any(String), role: 'Finance' }]);
    const signedIn = await call(ctx, 'POST', '/v1/auth/login', { body: { email, password: NEW_PASSWORD } });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.workspace.id).toBe(ws.workspaceId);

    expect(await workflowResult(created.id)).toBe('ACCEPTED');
    expectProblem(
      await call(ctx, 'POST', '/v1/invitations/accept', {
        body: { token, name: 'X', password: NEW_PASSWORD },
      }),
      400,
      'INVALID_TOKEN',
    );
    const list = await call(ctx, 'GET', '/v1/workspace/invitations?status=ACCEPTED', {
      token: ws.admin.token,
    });
    expect(list.body.data.map((i: { id: string }) => i.id)).toEqual([created.id]);
    await expectHistoryFreeOf(
      ctx,
      `invitation-${created.id}`,
      [...tokenSecrets(token), NEW_PASSWORD],
      [created.id],
    );

    const audit = await call(ctx, 'GET', '/v1/tenant/audit-log?action=invitation.*', {
      token: ws.admin.token,
    });
    expect(audit.status).toBe(200);
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual([
      'invitation.accepted',
      'invitation.created',
    ]);
    expect(audit.body.data[1]).toMatchObject({ actorId: ws.admin.userId, targetId: created.id });
  });

  it('lets an existing user accept while signed in, or by token without a password', async () => {
    const ws = await createTenant(ctx);
    const partner = await createPartnerWorkspace(ctx, ws.tenantId);
    const other = await createMember(ctx, partner, 'Finance');
    const created = await invite(ws, other.email, 'Operations');
    await mailedToken(other.email);

    const mine = await call(ctx, 'GET', '/v1/me/invitations', { token: other.token });
    expect(mine.body.data).toEqual([
      expect.objectContaining({ id: created.id, status: 'PENDING', workspaceId: ws.workspaceId }),
    ]);
    const accepted = await call(ctx, 'POST', `/v1/me/invitations/${created.id}/accept`, {
      token: other.token,
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ id: created.id, status: 'ACCEPTED', roleName: 'Operations' });
    expect(await membership(ws.workspaceId, other.email)).toHaveLength(1);
    expect(await workflowResult(created.id)).toBe('ACCEPTED');
    expectProblem(
      await call(ctx, 'POST', `/v1/me/invitations/${created.id}/accept`, { token: other.token }),
      409,
      'CONFLICT',
    );

    const second = await createTenant(ctx);
    const byToken = await invite(second, other.email, 'Finance');
    const token = await mailedToken(other.email, 2);
    const res = await call(ctx, 'POST', '/v1/invitations/accept', { body: { token } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ workspaceId: second.workspaceId, userId: other.userId });
    expect(await workflowResult(byToken.id)).toBe('ACCEPTED');
  });

  it('activates a never-activated account (e.g. a provisioned partner admin) only with name and password', async () => {
    const ws = await createTenant(ctx);
    const email = uniqueEmail('dormant');
    const userId = randomUUID();
    await ctx.orm.em.fork().transactional((em) =>
      insertUser(em, {
        id: userId,
        loginEmail: email,
        name: 'Pending',
        passwordHash: null,
        activated: false,
      }),
    );
    await invite(ws, email);
    const token = await mailedToken(email);
    expectProblem(
      await call(ctx, 'POST', '/v1/invitations/accept', { body: { token } }),
      400,
      'VALIDATION_FAILED',
    );
    const res = await call(ctx, 'POST', '/v1/invitations/accept', {
      body: { token, name: 'Dora Dormant', password: NEW_PASSWORD },
    });
    expect(res.body).toEqual({ workspaceId: ws.workspaceId, userId });
    const [user] = await ctx.orm.em.fork().execute('select * from app_user where id = ?', [userId]);
    expect(user).toMatchObject({ name: 'Dora Dormant', activated: true });
    expect(await verifyPassword(user!.password_hash, NEW_PASSWORD)).toBe(true);
  });

  it('declines: the invitation ends DECLINED and its link stops working', async () => {
    const ws = await createTenant(ctx);
    const partner = await createPartnerWorkspace(ctx, ws.tenantId);
    const created = await invite(ws, partner.admin.email);
    const token = await mailedToken(partner.admin.email);
    const res = await call(ctx, 'POST', `/v1/me/invitations/${created.id}/decline`, {
      token: partner.admin.token,
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('DECLINED');
    expect(await workflowResult(created.id)).toBe('DECLINED');
    expectProblem(
      await call(ctx, 'POST', '/v1/invitations/accept', { body: { token } }),
      400,
      'INVALID_TOKEN',
    );
    expect(await membership(ws.workspaceId, partner.admin.email)).toHaveLength(0);
  });

  it('revokes: 204, the link stops working, the workflow ends, an audit row is written', async () => {
    const ws = await createTenant(ctx);
    const email = uniqueEmail('revoked');
    const created = await invite(ws, email);
    const token = await mailedToken(email);
    expect(
      (await call(ctx, 'DELETE', `/v1/workspace/invitations/${created.id}`, { token: ws.admin.token }))
        .status,
    ).toBe(204);
    expect(await workflowResult(created.id)).toBe('REVOKED');
    expectProblem(
      await call(ctx, 'POST', '/v1/invitations/accept', {
        body: { token, name: 'R', password: NEW_PASSWORD },
      }),
      400,
      'INVALID_TOKEN',
    );
    expectProblem(
      await call(ctx, 'POST', `/v1/workspace/invitations/${created.id}/resend`, { token: ws.admin.token }),
      409,
      'CONFLICT',
    );
    const audit = await call(ctx, 'GET', `/v1/tenant/audit-log?action=invitation.revoked`, {
      token: ws.admin.token,
    });
    expect(audit.body.data).toEqual([
      expect.objectContaining({ targetId: created.id, actorId: ws.admin.userId }),
    ]);
    const stranger = await createTenant(ctx);
    expectProblem(
      await call(ctx, 'DELETE', `/v1/workspace/invitations/${created.id}`, { token: stranger.admin.token }),
      404,
      'NOT_FOUND',
    );
  });

  it('resends: a fresh link works, the old one is dead, and no token enters the history', async () => {
    const ws = await createTenant(ctx);
    const email = uniqueEmail('resend');
    const created = await invite(ws, email);
    const oldToken = await mailedToken(email);
    const resent = await call(ctx, 'POST', `/v1/workspace/invitations/${created.id}/resend`, {
      token: ws.admin.token,
    });
    expect(resent.status).toBe(202);
    expect(resent.body.status).toBe('PENDING');
    const mails = await outboxMails(ctx, email, 2);
    const newToken = tokenFrom(mails[0]!.text);
    expect(newToken).not.toBe(oldToken);
    expectProblem(
      await call(ctx, 'POST', '/v1/invitations/accept', {
        body: { token: oldToken, name: 'O', password: NEW_PASSWORD },
      }),
      400,
      'INVALID_TOKEN',
    );
    const res = await call(ctx, 'POST', '/v1/invitations/accept', {
      body: { token: newToken, name: 'Rita Resent', password: NEW_PASSWORD },
    });
    expect(res.status).toBe(200);
    expect(await workflowResult(created.id)).toBe('ACCEPTED');
    await expectHistoryFreeOf(
      ctx,
      `invitation-${created.id}`,
      [...tokenSecrets(oldToken), ...tokenSecrets(newToken), NEW_PASSWORD],
      [created.id, 'resendInvitation'],
    );
  });

  it('accepting the same invitation twice in parallel creates one membership', async () => {
    const ws = await createTenant(ctx);
    const email = uniqueEmail('twice');
    await invite(ws, email);
    const token = await mailedToken(email);
    const body = { token, name: 'Twin', password: NEW_PASSWORD };
    const results = await Promise.all(
      Array.from({ length: 4 }, () => call(ctx, 'POST', '/v1/invitations/accept', { body })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400, 400]);
    for (const r of results.filter((x) => x.status === 400)) expectProblem(r, 400, 'INVALID_TOKEN');
    expect(await membership(ws.workspaceId, email)).toHaveLength(1);
    const users = await ctx.orm.em.fork().execute('select id from app_user where login_email = ?', [email]);
    expect(users).toHaveLength(1);
  });

  it('is bound to the invited email: another user cannot see or accept it', async () => {
    const ws = await createTenant(ctx);
    const partner = await createPartnerWorkspace(ctx, ws.tenantId);
    const created = await invite(ws, uniqueEmail('someone-else'));
    expect((await call(ctx, 'GET', '/v1/me/invitations', { token: partner.admin.token })).body.data).toEqual(
      [],
    );
    for (const action of ['accept', 'decline']) {
      expectProblem(
        await call(ctx, 'POST', `/v1/me/invitations/${created.id}/${action}`, { token: partner.admin.token }),
        404,
        'NOT_FOUND',
      );
    }
    expect(await membership(ws.workspaceId, partner.admin.email)).toHaveLength(0);
  });

  it('refuses the acceptance once the inviter can no longer grant the role', async () => {
    const ws = await createTenant(ctx);
    const inviter = await createMember(ctx, ws, 'Admin');
    const email = uniqueEmail('late');
    const created = await invite(ws, email, 'Finance', inviter.token);
    const token = await mailedToken(email);
    await ctx.orm.em
      .fork()
      .execute('update membership set role_id = ? where id = ?', [ws.roles.Operations, inviter.membershipId]);
    expectProblem(
      await call(ctx, 'POST', '/v1/invitations/accept', {
        body: { token, name: 'Late', password: NEW_PASSWORD },
      }),
      403,
      'FORBIDDEN',
    );
    expect(await membership(ws.workspaceId, email)).toHaveLength(0);
    const [row] = await ctx.orm.em.fork().execute('select status from invitation where id = ?', [created.id]);
    expect(row!.status).toBe('PENDING');
    const users = await ctx.orm.em.fork().execute('select id from app_user where login_email = ?', [email]);
    expect(users).toHaveLength(0);
  });

  it('answers 409 for a member or a second pending invitation, 404 for a foreign role, 403 beyond own rights', async () => {
    const ws = await createTenant(ctx);
    const finance = await createMember(ctx, ws, 'Finance');
    const before = await ctx.orm.em
      .fork()
      .execute('select count(*)::int as n from invitation where workspace_id = ?', [ws.workspaceId]);
    const post = (body: unknown, token = ws.admin.token) =>
      call(ctx, 'POST', '/v1/workspace/invitations', { token, body });
    expectProblem(await post({ email: finance.email, roleId: ws.roles.Finance }), 409, 'CONFLICT');
    expectProblem(
      await post({ email: finance.email.toUpperCase(), roleId: ws.roles.Finance }),
      409,
      'CONFLICT',
    );
    const email = uniqueEmail('dup');
    await invite(ws, email);
    expectProblem(await post({ email, roleId: ws.roles.Operations }), 409, 'CONFLICT');
    const other = await createTenant(ctx);
    expectProblem(await post({ email: uniqueEmail(), roleId: other.roles.Finance }), 404, 'NOT_FOUND');
    expectProblem(await post({ email: 'nope', roleId: ws.roles.Finance }), 400, 'VALIDATION_FAILED');
    expectProblem(
      await post({ email: uniqueEmail(), roleId: ws.roles.Finance, extra: 1 }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await post({ email: uniqueEmail(), roleId: ws.roles.Finance }, finance.token),
      403,
      'FORBIDDEN',
    );

    const limitedRole = randomUUID();
    await ctx.orm.em.fork().execute(
      `insert into role (id, workspace_id, name, permissions, system, created_at)
       values (?, ?, 'Team lead', '{settings.team.manage,settings.team.view}', false, now())`,
      [limitedRole, ws.workspaceId],
    );
    const lead = await createMember(ctx, ws, limitedRole);
    expectProblem(await post({ email: uniqueEmail(), roleId: ws.roles.Admin }, lead.token), 403, 'FORBIDDEN');
    const after = await ctx.orm.em
      .fork()
      .execute('select count(*)::int as n from invitation where workspace_id = ?', [ws.workspaceId]);
    expect(after[0]!.n).toBe(before[0]!.n + 1);
  });

  it('lists with status filter and keyset pagination; the audit log filters and pages too', async () => {
    const ws = await createTenant(ctx);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await invite(ws, uniqueEmail(`page${i}`))).id);
    const first = await call(ctx, 'GET', '/v1/workspace/invitations?limit=2', { token: ws.admin.token });
    expect(first.body.data.map((i: { id: string }) => i.id)).toEqual([ids[2], ids[1]]);
    const second = await call(
      ctx,
      'GET',
      `/v1/workspace/invitations?limit=2&cursor=${first.body.nextCursor}`,
      {
        token: ws.admin.token,
      },
    );
    expect(second.body).toEqual({ data: [expect.objectContaining({ id: ids[0] })], nextCursor: null });

    const page1 = await call(
      ctx,
      'GET',
      `/v1/tenant/audit-log?action=invitation.created&actorId=${ws.admin.userId}&limit=2`,
      {
        token: ws.admin.token,
      },
    );
    expect(page1.body.data.map((e: { targetId: string }) => e.targetId)).toEqual([ids[2], ids[1]]);
    const page2 = await call(
      ctx,
      'GET',
      `/v1/tenant/audit-log?action=invitation.created&limit=2&cursor=${page1.body.nextCursor}`,
      {
        token: ws.admin.token,
      },
    );
    expect(page2.body.data.map((e: { targetId: string }) => e.targetId)).toEqual([ids[0]]);
    const future = new Date(Date.now() + 60_000).toISOString();
    const none = await call(ctx, 'GET', `/v1/tenant/audit-log?from=${future}`, { token: ws.admin.token });
    expect(none.body.data).toEqual([]);
    const partner = await createPartnerWorkspace(ctx, ws.tenantId);
    expectProblem(
      await call(ctx, 'GET', '/v1/tenant/audit-log', { token: partner.admin.token }),
      403,
      'FORBIDDEN',
    );
    const finance = await createMember(ctx, ws, 'Finance');
    expectProblem(
      await call(ctx, 'GET', '/v1/workspace/invitations', { token: finance.token }),
      403,
      'FORBIDDEN',
    );
    const fresh = await login(ctx, ws.admin.userId, ws.workspaceId);
    expect((await call(ctx, 'GET', '/v1/tenant/audit-log?actorId=not-a-uuid', { token: fresh })).status).toBe(
      400,
    );
  });
});
