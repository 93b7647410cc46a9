import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context';
import { call } from '../helpers/http';
import { createMember, createTenant, uniqueEmail } from '../helpers/factories';
import { eventually, expectHistoryFreeOf, tokenSecrets } from './messaging-helpers';

interface SmtpMessage {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server in this process (no TLS, no auth): what nodemailer delivers lands in `inbox`. */
const inbox: SmtpMessage[] = [];
const smtp = new SMTPServer({
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      inbox.push({
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        to: session.envelope.rcptTo.map((r) => r.address),
        raw: Buffer.concat(chunks).toString('utf8'),
      });
      callback();
    });
  },
});
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
const port = (smtp.server.address() as AddressInfo).port;

const ctx = useTestContext({ env: { SMTP_URL: `smtp://127.0.0.1:${port}` } });

afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

/** Quoted-printable soft line breaks and escapes undone, so links can be read from the raw message. */
function decodeQuotedPrintable(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

async function smtpMail(to: string): Promise<string> {
  const message = await eventually(async () => inbox.find((m) => m.to.includes(to)));
  return decodeQuotedPrintable(message.raw);
}

function linkToken(body: string, path: string): string {
  const match = new RegExp(`http://localhost:3000${path}\\?token=([A-Za-z0-9_-]+)`).exec(body);
  if (!match) throw new Error(`no ${path} link in ${body}`);
  return match[1]!;
}

describe('email over SMTP', () => {
  it('delivers the invitation over SMTP with a working link, keeping no body (no token) at rest', async () => {
    const ws = await createTenant(ctx);
    const email = uniqueEmail('smtp-invitee');
    const created = await call(ctx, 'POST', '/v1/workspace/invitations', {
      token: ws.admin.token,
      body: { email, roleId: ws.roles.Finance },
    });
    expect(created.status).toBe(202);
    const raw = await smtpMail(email);
    expect(raw).toMatch(/^Subject: You are invited to /m);
    expect(raw).toContain('Content-Type: text/plain');
    expect(raw).toContain('Content-Type: text/html');
    const token = linkToken(raw, '/accept-invitation');

    const accepted = await call(ctx, 'POST', '/v1/invitations/accept', {
      body: { token, name: 'Sam Smtp', password: 'smtp delivered password' },
    });
    expect(accepted.status).toBe(200);
    const [row] = await ctx.orm.em
      .fork()
      .execute('select transport, status, text_body, html_body from email_outbox where to_address = ?', [
        email,
      ]);
    expect(row).toEqual({ transport: 'SMTP', status: 'SENT', text_body: null, html_body: null });
    expect((await call(ctx, 'GET', `/v1/dev/outbox?to=${email}`)).body.data).toEqual([]);
    await expectHistoryFreeOf(ctx, `invitation-${created.body.id}`, tokenSecrets(token), [created.body.id]);
  });

  it('delivers the password-reset mail over SMTP with a working link', async () => {
    const ws = await createTenant(ctx);
    const member = await createMember(ctx, ws, 'Finance');
    expect(
      (await call(ctx, 'POST', '/v1/auth/password-reset', { body: { email: member.email } })).status,
    ).toBe(202);
    const raw = await smtpMail(member.email);
    expect(raw).toMatch(/^Subject: Reset your Payments Portal password/m);
    const token = linkToken(raw, '/reset-password');
    const done = await call(ctx, 'POST', '/v1/auth/password-reset/complete', {
      body: { token, newPassword: 'reset over smtp works' },
    });
    expect(done.status).toBe(204);
    const [reset] = await ctx.orm.em
      .fork()
      .execute('select id from password_reset where user_id = ?', [member.userId]);
    expect(await ctx.temporal.workflow.getHandle(`password-reset-${reset!.id}`).result()).toBe('USED');
    await expectHistoryFreeOf(
      ctx,
      `password-reset-${reset!.id}`,
      [...tokenSecrets(token), 'reset over smtp works'],
      [reset!.id],
    );
  });
});
