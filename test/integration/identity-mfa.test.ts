import { describe, expect, it } from 'vitest';
import { digest } from '../../domain/tokens';
import { useTestContext } from '../helpers/context';
import { Authenticator, enrolTotp } from '../helpers/mfa';
import { call, expectProblem } from '../helpers/http';
import { createMember, createTenant, TEST_PASSWORD, type MemberFixture } from '../helpers/factories';

const ctx = useTestContext({ worker: false });

const rnd = () => Math.floor(Math.random() * 250) + 1;
const ipHeaders = () => ({ 'x-forwarded-for': `10.${rnd()}.${rnd()}.${rnd()}` });

async function passwordStep(member: MemberFixture): Promise<string> {
  const res = await call(ctx, 'POST', '/v1/auth/login', {
    headers: ipHeaders(),
    body: { email: member.email, password: TEST_PASSWORD },
  });
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ mfaRequired: true, mfaToken: expect.any(String) });
  return res.body.mfaToken;
}

async function userRow(userId: string) {
  const [row] = await ctx.orm.em.fork().execute('select * from app_user where id = ?', [userId]);
  return row!;
}

async function auditActions(userId: string): Promise<string[]> {
  const rows = await ctx.orm.em
    .fork()
    .execute<{ action: string }[]>('select action from audit_log where target_id = ? order by id', [userId]);
  return rows.map((r) => r.action);
}

describe('TOTP enrolment', () => {
  it('keeps MFA off until a code confirms it, stores the secret encrypted, returns 10 codes once', async () => {
    const ws = await createTenant(ctx);
    const member = await createMember(ctx, ws, 'Finance');
    const other = await createMember(ctx, ws, 'Finance');
    const otherSession = (
      await call(ctx, 'POST', '/v1/auth/login', {
        headers: ipHeaders(),
        body: { email: member.email, password: TEST_PASSWORD },
      })
    ).body.token;
    const start = await call(ctx, 'POST', '/v1/me/mfa/totp', { token: member.token });
    expect(start.status).toBe(200);
    expect(start.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(start.body.otpauthUrl);
    expect(url.protocol).toBe('otpauth:');
    expect(url.searchParams.get('secret')).toBe(start.body.secret);
    expect(url.searchParams.get('digits') ?? '6').toBe('6');
    expect(url.searchParams.get('period') ?? '30').toBe('30');
    expect((url.searchParams.get('algorithm') ?? 'SHA1').toUpperCase()).toBe('SHA1');

    let row = await userRow(member.userId);
    expect(row.mfa_enabled).toBe(false);
    expect(row.totp_pending_secret_enc).toBeTruthy();
    expect(row.totp_pending_secret_enc).not.toContain(start.body.secret);
    let security = await call(ctx, 'GET', '/v1/me/security', { token: member.token });
    expect(security.body).toMatchObject({ mfaEnabled: false, totpEnrolled: false, totpPending: true });

    for (const code of ['12345', '1234567', 'abcdef', 12345678, '']) {
      expectProblem(
        await call(ctx, 'POST', '/v1/me/mfa/totp/verify', { token: member.token, body: { code } }),
        400,
        'VALIDATION_FAILED',
      );
    }
    expectProblem(
      await call(ctx, 'POST', '/v1/me/mfa/totp/verify', {
        token: member.token,
        body: { code: '000000', x: 1 },
      }),
      400,
      'VALIDATION_FAILED',
    );
    const app = new Authenticator(start.body.secret);
    const good = await app.nextCode();
    const wrong = good === '000000' ? '111111' : '000000';
    expectProblem(
      await call(ctx, 'POST', '/v1/me/mfa/totp/verify', {
        token: member.token,
        headers: ipHeaders(),
        body: { code: wrong },
      }),
      400,
      'INVALID_MFA_CODE',
    );
    expect((await userRow(member.userId)).mfa_enabled).toBe(false);

    const verify = await call(ctx, 'POST', '/v1/me/mfa/totp/verify', {
      token: member.token,
      headers: ipHeaders(),
      body: { code: good },
    });
    expect(verify.status).toBe(200);
    expect(verify.body.recoveryCodes).toHaveLength(10);
    expect(new Set(verify.body.recoveryCodes).size).toBe(10);
    row = await userRow(member.userId);
    expect(row).toMatchObject({ mfa_enabled: true, totp_pending_secret_enc: null });
    expect(row.totp_secret_enc).toBeTruthy();
    const stored = await ctx.orm.em
      .fork()
      .execute<{ code_hash: string }[]>('select code_hash from recovery_code where user_id = ?', [
        member.userId,
      ]);
    expect(stored).toHaveLength(10);
    for (const code of verify.body.recoveryCodes) {
      expect(stored.map((s) => s.code_hash)).not.toContain(code);
    }
    security = await call(ctx, 'GET', '/v1/me/security', { token: member.token });
    expect(security.body).toMatchObject({ mfaEnabled: true, totpEnrolled: true, recoveryCodesRemaining: 10 });
    expectProblem(await call(ctx, 'GET', '/v1/me', { token: otherSession }), 401, 'UNAUTHENTICATED');
    expect((await call(ctx, 'GET', '/v1/me', { token: other.token })).status).toBe(200);
    expectProblem(await call(ctx, 'POST', '/v1/me/mfa/totp', { token: member.token }), 409, 'CONFLICT');
    expect(await auditActions(member.userId)).toContain('user.mfa_enabled');
  });
});

describe('sign-in with TOTP', () => {
  it('needs a code after the password; a replayed code is refused, also when sent twice in parallel', async () => {
    const ws = await createTenant(ctx);
    const member = await createMember(ctx, ws, 'Operations');
    const { app } = await enrolTotp(ctx, member, ipHeaders());

    const mfaToken = await passwordStep(member);
    expectProblem(
      await call(ctx, 'POST', '/v1/auth/mfa', { headers: ipHeaders(), body: { mfaToken, code: '12ab56' } }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await call(ctx, 'POST', '/v1/auth/mfa', { headers: ipHeaders(), body: { mfaToken } }),
      400,
      'VALIDATION_FAILED',
    );
    const code = await app.nextCode();
    const signedIn = await call(ctx, 'POST', '/v1/auth/mfa', {
      headers: ipHeaders(),
      body: { mfaToken, code },
    });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user.id).toBe(member.userId);
    expect((await call(ctx, 'GET', '/v1/me', { token: signedIn.body.token })).status).toBe(200);

    expectProblem(
      await call(ctx, 'POST', '/v1/auth/mfa', { headers: ipHeaders(), body: { mfaToken, code } }),
      401,
      'INVALID_MFA_CODE',
    );
    const replay = await passwordStep(member);
    expectProblem(
      await call(ctx, 'POST', '/v1/auth/mfa', { headers: ipHeaders(), body: { mfaToken: replay, code } }),
      401,
      'INVALID_MFA_CODE',
    );

    const fresh = await app.nextCode();
    const [a, b] = [await passwordStep(member), await passwordStep(member)];
    const results = await Promise.all([
      call(ctx, 'POST', '/v1/auth/mfa', { headers: ipHeaders(), body: { mfaToken: a, code: fresh } }),
      call(ctx, 'POST', '/v1/auth/mfa', { headers: ipHeaders(), body: { mfaToken: b, code: fresh } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    expect(results.find((r) => r.status === 401)!.body.code).toBe('INVALID_MFA_CODE');
  });

  it('accepts each recovery code once and counts them down', async () => {
    const ws = await createTenant(ctx);
    const member = await createMember(ctx, ws, 'Finance');
    const { recoveryCodes } = await enrolTotp(ctx, member, ipHeaders());
    const code = recoveryCodes[0]!;

    const first = await call(ctx, 'POST', '/v1/auth/mfa', {
      headers: ipHeaders(),
      body: { mfaToken: await passwordStep(member), code: code.toLowerCase() },
    });
    expect(first.status).toBe(200);
    expectProblem(
      await call(ctx, 'POST', '/v1/auth/mfa', {
        headers: ipHeaders(),
        body: { mfaToken: await passwordStep(member), code },
      }),
      401,
      'INVALID_MFA_CODE',
    );
    const security = await call(ctx, 'GET', '/v1/me/security', { token: first.body.token });
    expect(security.body.recoveryCodesRemaining).toBe(9);
    expect(await auditActions(member.userId)).toContain('auth.recovery_code_used');
  });

  it('ends an mfaToken after 5 wrong codes and refuses unknown tokens', async () => {
    const ws = await createTenant(ctx);
    const member = await createMember(ctx, ws, 'Finance');
    const { app } = await enrolTotp(ctx, member, ipHeaders());
    const mfaToken = await passwordStep(member);
    const good = await app.nextCode();
    const wrong = good === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      expectProblem(
        await call(ctx, 'POST', '/v1/auth/mfa', { headers: ipHeaders(), body: { mfaToken, code: wrong } }),
        401,
        'INVALID_MFA_CODE',
      );
    }
    const [challenge] = await ctx.orm.em
      .fork()
      .execute('select attempts, used_at from mfa_challenge where token_hash = ?', [digest(mfaToken)]);
    expect(challenge!.attempts).toBe(5);
    expect(challenge!.used_at).not.toBeNull();
    const after = await call(ctx, 'POST', '/v1/auth/mfa', {
      headers: ipHeaders(),
      body: { mfaToken, code: good },
    });
    expectProblem(after, 429, 'RATE_LIMITED');
    expectProblem(
      await call(ctx, 'POST', '/v1/auth/mfa', {
        headers: ipHeaders(),
        body: { mfaToken: 'x'.repeat(43), code: good },
      }),
      401,
      'INVALID_MFA_CODE',
    );
  });
});

describe('POST /v1/me/mfa/disable', () => {
  it('needs the password and a valid code, then turns MFA off and revokes the other sessions', async () => {
    const ws = await createTenant(ctx);
    const member = await createMember(ctx, ws, 'Finance');
    const { app, recoveryCodes } = await enrolTotp(ctx, member, ipHeaders());
    const second = await call(ctx, 'POST', '/v1/auth/mfa', {
      headers: ipHeaders(),
      body: { mfaToken: await passwordStep(member), code: recoveryCodes[1] },
    });
    expect(second.status).toBe(200);

    for (const body of [
      { password: TEST_PASSWORD },
      { code: '123456' },
      { password: TEST_PASSWORD, code: '12' },
    ]) {
      expectProblem(
        await call(ctx, 'POST', '/v1/me/mfa/disable', { token: member.token, body }),
        400,
        'VALIDATION_FAILED',
      );
    }
    const code = await app.nextCode();
    expectProblem(
      await call(ctx, 'POST', '/v1/me/mfa/disable', {
        token: member.token,
        headers: ipHeaders(),
        body: { password: 'not the password at all', code },
      }),
      400,
      'INVALID_CREDENTIALS',
    );
    expectProblem(
      await call(ctx, 'POST', '/v1/me/mfa/disable', {
        token: member.token,
        headers: ipHeaders(),
        body: { password: TEST_PASSWORD, code: recoveryCodes[1] },
      }),
      400,
      'INVALID_MFA_CODE',
    );
    expect((await userRow(member.userId)).mfa_enabled).toBe(true);

    const res = await call(ctx, 'POST', '/v1/me/mfa/disable', {
      token: member.token,
      headers: ipHeaders(),
      body: { password: TEST_PASSWORD, code },
    });
    expect(res.status).toBe(204);
    const row = await userRow(member.userId);
    expect(row).toMatchObject({ mfa_enabled: false, totp_secret_enc: null, totp_last_step: null });
    expectProblem(await call(ctx, 'GET', '/v1/me', { token: second.body.token }), 401, 'UNAUTHENTICATED');
    const plain = await call(ctx, 'POST', '/v1/auth/login', {
      headers: ipHeaders(),
      body: { email: member.email, password: TEST_PASSWORD },
    });
    expect(plain.body.token).toEqual(expect.any(String));
    expectProblem(
      await call(ctx, 'POST', '/v1/me/mfa/disable', {
        token: member.token,
        body: { password: TEST_PASSWORD, code: '123456' },
      }),
      409,
      'CONFLICT',
    );
    expect(await auditActions(member.userId)).toContain('user.mfa_disabled');
  });
});
