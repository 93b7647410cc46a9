import { Writable } from 'node:stream';
import { generate } from 'otplib';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { REDACTED_PATHS } from '../../domain/logger';
import { appWith, useTestContext, type TestContext } from '../helpers/context';
import { call, type CallResult } from '../helpers/http';
import { createTenant, TEST_PASSWORD, uniqueEmail } from '../helpers/factories';

const ctx = useTestContext({ worker: false });
const logLines: string[] = [];
/** The same app as in production, logging at trace level into memory. */
const logged = {} as TestContext;

beforeAll(() => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: 'trace', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
  Object.assign(logged, ctx, {
    app: appWith(ctx, { logger }),
  });
});

const ip = { 'x-forwarded-for': '10.200.0.1' };

describe('secrets', () => {
  it('never shows a password, hash, token or TOTP secret in responses, logs or audit rows', async () => {
    const ws = await createTenant(ctx);
    const responses: CallResult[] = [];
    /** Sign-in answers carry their own session token or mfaToken by design; they are checked for the rest. */
    const tokenAnswers: CallResult[] = [];
    const send = async (method: string, path: string, options: Parameters<typeof call>[3] = {}) => {
      const res = await call(logged, method, path, { ...options, headers: { ...ip, ...options.headers } });
      (path.startsWith('/v1/auth/login') || path === '/v1/auth/mfa' ? tokenAnswers : responses).push(res);
      return res;
    };
    const initial = 'an initial password for Sam';
    const chosen = 'the password Sam picked';
    const email = uniqueEmail('sam');
    const added = await send('POST', '/v1/workspace/members', {
      token: ws.admin.token,
      body: {
        name: 'Sam',
        loginEmail: email,
        password: initial,
        confirmPassword: initial,
        roleId: ws.roles.Admin,
        status: 'ACTIVE',
      },
    });
    const userId = added.body.userId;
    await send('POST', '/v1/auth/login', { body: { email, password: 'a wrong password guess' } });
    const first = await send('POST', '/v1/auth/login', { body: { email, password: initial } });
    await send('PUT', '/v1/me/password', {
      token: first.body.token,
      body: { currentPassword: initial, newPassword: chosen },
    });
    const enrol = await call(logged, 'POST', '/v1/me/mfa/totp', { token: first.body.token, headers: ip });
    const secret: string = enrol.body.secret;
    const step = Math.floor(Date.now() / 30_000);
    const verify = await call(logged, 'POST', '/v1/me/mfa/totp/verify', {
      token: first.body.token,
      headers: ip,
      body: { code: await generate({ secret, epoch: (step - 1) * 30 }) },
    });
    const recoveryCodes: string[] = verify.body.recoveryCodes;
    expect(recoveryCodes).toHaveLength(10);
    const challenge = await send('POST', '/v1/auth/login', { body: { email, password: chosen } });
    const mfaToken: string = challenge.body.mfaToken;
    await send('POST', '/v1/auth/mfa', { body: { mfaToken, code: '000000' } });
    const second = await call(logged, 'POST', '/v1/auth/mfa', {
      headers: ip,
      body: { mfaToken: await passwordChallenge(email, chosen), code: recoveryCodes[0] },
    });
    const third = await call(logged, 'POST', '/v1/auth/mfa', {
      headers: ip,
      body: {
        mfaToken: await passwordChallenge(email, chosen),
        code: await generate({ secret, epoch: step * 30 }),
      },
    });
    expect(second.status).toBe(200);
    expect(third.status).toBe(200);
    await send('GET', '/v1/me', { token: third.body.token });
    await send('GET', '/v1/me/security', { token: third.body.token });
    const sessions = await send('GET', '/v1/me/sessions', { token: third.body.token });
    await send('GET', `/v1/workspace/members/${userId}`, { token: ws.admin.token });
    await send('GET', '/v1/workspace/members', { token: ws.admin.token });
    await send('DELETE', `/v1/me/sessions/${sessions.body.data.find((s: any) => !s.current).id}`, {
      token: third.body.token,
    });
    await send('POST', '/v1/me/mfa/disable', {
      token: third.body.token,
      body: { password: chosen, code: recoveryCodes[1] },
    });
    await send('POST', '/v1/auth/logout', { token: third.body.token });

    const em = ctx.orm.em.fork();
    const [user] = await em.execute('select * from app_user where id = ?', [userId]);
    const sessionIds = (
      await em.execute<{ id: string }[]>('select id from session where user_id = ?', [userId])
    ).map((s) => s.id);
    const audit = await em.execute('select * from audit_log where workspace_id = ? or target_id = ?', [
      ws.workspaceId,
      userId,
    ]);
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'member.added',
        'auth.login_failed',
        'auth.login',
        'user.password_changed',
        'user.mfa_enabled',
        'auth.recovery_code_used',
        'user.mfa_disabled',
        'auth.logout',
      ]),
    );

    const secrets = [
      initial,
      chosen,
      TEST_PASSWORD,
      'a wrong password guess',
      user!.password_hash,
      '$argon2',
      secret,
      mfaToken,
      first.body.token,
      second.body.token,
      third.body.token,
      ws.admin.token,
      ...recoveryCodes,
      ...sessionIds,
    ];
    const places = {
      responses: JSON.stringify(responses.map((r) => r.body)),
      responseHeaders: JSON.stringify(
        responses.map((r) => [...r.headers.entries()].filter(([k]) => k !== 'set-cookie')),
      ),
      logs: logLines.join('\n'),
      audit: JSON.stringify(audit),
    };
    expect(logLines.length).toBeGreaterThan(10);
    for (const [where, text] of Object.entries(places)) {
      for (const s of secrets) expect(text.includes(s), `${where} contains ${s.slice(0, 12)}…`).toBe(false);
    }
    const answers = JSON.stringify(tokenAnswers.map((r) => r.body));
    for (const s of [
      initial,
      chosen,
      user!.password_hash,
      '$argon2',
      secret,
      ...recoveryCodes,
      ...sessionIds,
    ]) {
      expect(answers.includes(s), `a sign-in answer contains ${s.slice(0, 12)}…`).toBe(false);
    }
  });
});

async function passwordChallenge(email: string, password: string): Promise<string> {
  const res = await call(logged, 'POST', '/v1/auth/login', { headers: ip, body: { email, password } });
  return res.body.mfaToken;
}
