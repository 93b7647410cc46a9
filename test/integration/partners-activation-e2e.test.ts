import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context';
import { call } from '../helpers/http';
import { createTenant } from '../helpers/factories';
import { provisionPartner } from '../helpers/partners';

const ctx = useTestContext();

async function invitationToken(email: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const res = await call(ctx, 'GET', `/v1/dev/outbox?to=${encodeURIComponent(email)}`);
    const match = /token=([A-Za-z0-9_-]+)/.exec(res.body.data?.[0]?.text ?? '');
    if (match) return match[1]!;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no invitation mail to ${email}`);
}

describe('a provisioned partner admin', () => {
  it('accepts the invitation from its mail, logs in and sees its wallets', async () => {
    const tenant = await createTenant(ctx);
    const { body, partner } = await provisionPartner(ctx, tenant.admin.token, { currencies: ['USD', 'EUR'] });
    expect(partner.status).toBe('ACTIVE');
    const password = 'the partner admin password';

    const login = await call(ctx, 'POST', '/v1/auth/login', { body: { email: body.adminEmail, password } });
    expect(login.status).toBe(401);

    const token = await invitationToken(body.adminEmail);
    const accepted = await call(ctx, 'POST', '/v1/invitations/accept', {
      body: { token, name: 'Pat Partner', password },
    });
    expect(accepted.body).toEqual({ workspaceId: partner.workspaceId, userId: partner.adminUserId });
    expect(accepted.status).toBe(200);

    const session = await call(ctx, 'POST', '/v1/auth/login', { body: { email: body.adminEmail, password } });
    expect(session.status).toBe(200);
    expect(session.body.workspace).toMatchObject({ id: partner.workspaceId, kind: 'PARTNER' });
    const wallets = await call(ctx, 'GET', '/v1/wallets', { token: session.body.token });
    expect(wallets.status).toBe(200);
    expect(wallets.body.data.map((w: any) => [w.id, w.currency]).sort()).toEqual(
      partner.wallets.map((w: any) => [w.id, w.currency]).sort(),
    );
    const code = await call(ctx, 'GET', '/v1/referral-code', { token: session.body.token });
    expect(code.body).toEqual({ code: partner.referralCode, status: 'ACTIVE' });
  });
});
