// Without SMTP, every mail-sending flow runs while the API's and the worker's log is captured: the log names the
// mails but holds no token, password, session or TOTP secret.
import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../domain/logger';
import { useTestContext } from '../helpers/context';
import { call } from '../helpers/http';
import { createMember, createTenant, TEST_PASSWORD, uniqueEmail } from '../helpers/factories';
import { eventually, outboxMails, tokenFrom } from './messaging-helpers';

const lines: string[] = [];
const logger = createLogger('trace', { write: (line: string) => void lines.push(line) });
const ctx = useTestContext({ logger });
const PLATFORM = { authorization: 'Bearer test-platform-admin-token-0123456789' };
const log = () => lines.join('');

describe('mail flows without SMTP', () => {
  it('log every mail by recipient and subject, never a token, password or secret', async () => {
    const secrets: string[] = [TEST_PASSWORD, 'test-platform-admin-token-0123456789'];

    const adminPassword = 'tenant admin first password';
    const adminEmail = uniqueEmail('logged-admin');
    secrets.push(adminPassword);
    const tenant = await call(ctx, 'POST', '/v1/platform/tenants', {
      headers: PLATFORM,
      body: { name: 'Log Bank', adminEmail, adminName: 'Log Admin', adminPassword },
    });
    expect(tenant.status).toBe(201);
    const signedIn = await call(ctx, 'POST', '/v1/auth/login', {
      body: { email: adminEmail, password: adminPassword },
    });
    expect(signedIn.status).toBe(200);
    secrets.push(signedIn.body.token);

    const ws = await createTenant(ctx);
    secrets.push(ws.admin.token);
    const invitee = uniqueEmail('logged-invitee');
    const invited = await call(ctx, 'POST', '/v1/workspace/invitations', {
      token: ws.admin.token,
      body: { email: invitee, roleId: ws.roles.Finance },
    });
    expect(invited.status).toBe(202);
    const invitationToken = tokenFrom((await outboxMails(ctx, invitee))[0]!.text);
    const inviteePassword = 'invitee chosen password';
    secrets.push(invitationToken, inviteePassword);
    const accepted = await call(ctx, 'POST', '/v1/invitations/accept', {
      body: { token: invitationToken, name: 'Ivy Invitee', password: inviteePassword },
    });
    expect(accepted.status).toBe(200);

    const member = await createMember(ctx, ws, 'Finance');
    secrets.push(member.token);
    expect(
      (await call(ctx, 'POST', '/v1/auth/password-reset', { body: { email: member.email } })).status,
    ).toBe(202);
    const resetToken = tokenFrom((await outboxMails(ctx, member.email))[0]!.text);
    const resetPassword = 'a password after the reset';
    secrets.push(resetToken, resetPassword);
    const reset = await call(ctx, 'POST', '/v1/auth/password-reset/complete', {
      body: { token: resetToken, newPassword: resetPassword },
    });
    expect(reset.status).toBe(204);

    const mfa = await call(ctx, 'POST', '/v1/me/mfa/totp', { token: ws.admin.token });
    expect(mfa.status).toBe(200);
    const verified = await call(ctx, 'POST', '/v1/me/mfa/totp/verify', {
      token: ws.admin.token,
      body: { code: await generate({ secret: mfa.body.secret }) },
    });
    expect(verified.status).toBe(200);
    secrets.push(mfa.body.secret, ...verified.body.recoveryCodes);

    // The capture works: both mails and the requests are in it.
    await eventually(async () =>
      log().includes(member.email) && log().includes(invitee) ? true : undefined,
    );
    expect(log()).toContain('/v1/auth/password-reset/complete');
    for (const secret of secrets) expect(log(), 'a secret reached the log').not.toContain(secret);
    expect(log()).not.toMatch(/token=|\$argon2/);
    expect(log()).toContain('email (no SMTP): read it at /v1/dev/outbox');
  });
});
