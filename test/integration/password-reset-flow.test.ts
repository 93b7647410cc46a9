import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../../domain/passwords';
import { useTestContext } from '../helpers/context';
import { call, expectProblem } from '../helpers/http';
import { createMember, createTenant, login, uniqueEmail } from '../helpers/factories';
import { eventually, expectHistoryFreeOf, outboxMails, tokenFrom, tokenSecrets } from './messaging-helpers';

const ctx = useTestContext();
const NEW_PASSWORD = 'my freshly reset password';

const requestReset = (email: string, headers: Record<string, string> = {}) =>
  call(ctx, 'POST', '/v1/auth/password-reset', { body: { email }, headers });

const complete = (token: string, newPassword = NEW_PASSWORD) =>
  call(ctx, 'POST', '/v1/auth/password-reset/complete', { body: { token, newPassword } });

async function resetIds(userId: string): Promise<{ id: string; status: string }[]> {
  return ctx.orm.em
    .fork()
    .execute('select id, status from password_reset where user_id = ? order by created_at', [userId]);
}

const resetResult = (id: string) => ctx.temporal.workflow.getHandle(`password-reset-${id}`).result();

describe('password reset', () => {
  it('answers 202 for an unknown email and sends nothing', async () => {
    const email = uniqueEmail('nobody');
    const res = await requestReset(email);
    expect(res.status).toBe(202);
    const outbox = await call(ctx, 'GET', `/v1/dev/outbox?to=${email}`);
    expect(outbox.body.data).toEqual([]);
    const rows = await ctx.orm.em
      .fork()
      .execute(
        'select 1 from password_reset pr join app_user u on u.id = pr.user_id where u.login_email = ?',
        [email],
      );
    expect(rows).toHaveLength(0);
    expectProblem(await requestReset('not-an-email'), 400, 'VALIDATION_FAILED');
  });

  it('mails a single-use link; completing sets the password, revokes every session and ends the workflow', async () => {
    const ws = await createTenant(ctx);
    const member = await createMember(ctx, ws, 'Finance');
    const secondSession = await login(ctx, member.userId, ws.workspaceId);
    expect((await call(ctx, 'GET', '/v1/me/invitations', { token: secondSession })).status).toBe(200);

    expect((await requestReset(member.email.toUpperCase())).status).toBe(202);
    const [mail] = await outboxMails(ctx, member.email);
    expect(mail!.text).toContain(`${ctx.config.PORTAL_URL}/reset-password?token=`);
    const token = tokenFrom(mail!.text);
    const [reset] = await resetIds(member.userId);

    expectProblem(await complete(token, 'short'), 400, 'VALIDATION_FAILED');
    expect((await complete(token)).status).toBe(204);
    const [user] = await ctx.orm.em
      .fork()
      .execute('select password_hash from app_user where id = ?', [member.userId]);
    expect(await verifyPassword(user!.password_hash, NEW_PASSWORD)).toBe(true);
    for (const session of [member.token, secondSession]) {
      expectProblem(await call(ctx, 'GET', '/v1/me/invitations', { token: session }), 401, 'UNAUTHENTICATED');
    }
    const sessions = await ctx.orm.em
      .fork()
      .execute('select 1 from session where user_id = ?', [member.userId]);
    expect(sessions).toHaveLength(0);

    expectProblem(await complete(token, 'yet another new password'), 400, 'INVALID_TOKEN');
    const signIn = (password: string) =>
      call(ctx, 'POST', '/v1/auth/login', { body: { email: member.email, password } });
    expect((await signIn(NEW_PASSWORD)).status).toBe(200);
    expectProblem(await signIn(member.password), 401, 'INVALID_CREDENTIALS');
    expect(await resetResult(reset!.id)).toBe('USED');
    await expectHistoryFreeOf(
      ctx,
      `password-reset-${reset!.id}`,
      [...tokenSecrets(token), NEW_PASSWORD, user!.password_hash],
      [reset!.id, 'sendPasswordResetMail'],
    );
    const audit = await call(ctx, 'GET', '/v1/tenant/audit-log?action=password_reset.*', {
      token: await login(ctx, ws.admin.userId, ws.workspaceId),
    });
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual([
      'password_reset.completed',
      'password_reset.requested',
    ]);
  });

  it('a newer request kills the older token and ends the older workflow', async () => {
    const ws = await createTenant(ctx);
    const member = await createMember(ctx, ws, 'Operations');
    await requestReset(member.email);
    const older = tokenFrom((await outboxMails(ctx, member.email, 1))[0]!.text);
    await requestReset(member.email);
    const newer = tokenFrom((await outboxMails(ctx, member.email, 2))[0]!.text);
    expect(newer).not.toBe(older);
    const [first, second] = await resetIds(member.userId);
    expect(await resetResult(first!.id)).toBe('SUPERSEDED');
    expectProblem(await complete(older), 400, 'INVALID_TOKEN');
    expect((await complete(newer)).status).toBe(204);
    expect(await resetResult(second!.id)).toBe('USED');
  });

  it('lets an admin start a reset for a member of the workspace only; the admin never sees the token', async () => {
    const ws = await createTenant(ctx);
    const member = await createMember(ctx, ws, 'Customer Service');
    const res = await call(ctx, 'POST', `/v1/workspace/members/${member.userId}/password-reset`, {
      token: ws.admin.token,
    });
    expect(res.status).toBe(202);
    expect(JSON.stringify(res.body ?? '')).not.toMatch(/token/i);
    const token = tokenFrom((await outboxMails(ctx, member.email))[0]!.text);
    expect((await complete(token)).status).toBe(204);
    const [reset] = await ctx.orm.em
      .fork()
      .execute('select requested_by, status from password_reset where user_id = ?', [member.userId]);
    expect(reset).toEqual({ requested_by: ws.admin.userId, status: 'USED' });

    const other = await createTenant(ctx);
    expectProblem(
      await call(ctx, 'POST', `/v1/workspace/members/${other.admin.userId}/password-reset`, {
        token: ws.admin.token,
      }),
      404,
      'NOT_FOUND',
    );
    const finance = await createMember(ctx, ws, 'Finance');
    expectProblem(
      await call(ctx, 'POST', `/v1/workspace/members/${ws.admin.userId}/password-reset`, {
        token: finance.token,
      }),
      403,
      'FORBIDDEN',
    );
  });

  it('throttles repeated requests per email (and the answer does not depend on the account existing)', async () => {
    const ws = await createTenant(ctx);
    const member = await createMember(ctx, ws, 'Finance');
    for (const email of [member.email, uniqueEmail('ghost')]) {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        statuses.push((await requestReset(email, { 'x-forwarded-for': `10.9.${i}.1` })).status);
      }
      expect(statuses.slice(0, 5)).toEqual([202, 202, 202, 202, 202]);
      expect(statuses.slice(5)).toEqual([429, 429]);
    }
    const limited = await requestReset(member.email);
    expectProblem(limited, 429, 'RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    await eventually(async () => ((await resetIds(member.userId)).length === 5 ? true : undefined));
  });

  it('refuses unknown tokens', async () => {
    expectProblem(await complete('this-token-was-never-issued-by-us'), 400, 'INVALID_TOKEN');
    expectProblem(
      await call(ctx, 'POST', '/v1/auth/password-reset/complete', {
        body: { token: 'x', newPassword: NEW_PASSWORD, more: 1 },
      }),
      400,
      'VALIDATION_FAILED',
    );
  });
});
