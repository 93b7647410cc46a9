import { describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index';
import { createLogger } from '../../domain/logger';
import { useTestContext } from '../helpers/context';
import { call, expectProblem } from '../helpers/http';
import { createTenant, uniqueEmail } from '../helpers/factories';
import { outboxMails, tokenFrom } from './messaging-helpers';

const ctx = useTestContext();

describe('email without SMTP (outbox)', () => {
  it('writes the invitation to the outbox, readable at /v1/dev/outbox with a working link', async () => {
    const ws = await createTenant(ctx);
    const email = uniqueEmail('outboxed');
    const created = await call(ctx, 'POST', '/v1/workspace/invitations', {
      token: ws.admin.token,
      body: { email, roleId: ws.roles.Operations },
    });
    expect(created.status).toBe(202);
    const [mail] = await outboxMails(ctx, email);
    expect(mail).toMatchObject({
      to: email,
      subject: expect.stringContaining('invited'),
      createdAt: expect.any(String),
    });
    expect(mail!.text).toContain('as Operations');
    const res = await call(ctx, 'POST', '/v1/invitations/accept', {
      body: { token: tokenFrom(mail!.text), name: 'Olga Outbox', password: 'outbox delivered password' },
    });
    expect(res.status).toBe(200);
    expect(res.body.workspaceId).toBe(ws.workspaceId);
  });

  it('sends a message once per key, however often the activity runs', async () => {
    const activities = createActivities({ orm: ctx.orm, config: ctx.config, logger: createLogger('silent') });
    const to = uniqueEmail('once');
    const message = {
      key: `test-${to}`,
      to,
      subject: 'Hello',
      text: 'Plain body',
      html: '<p>Plain body</p>',
    };
    await Promise.all([activities.sendEmail(message), activities.sendEmail(message)]);
    await activities.sendEmail(message);
    const mails = await outboxMails(ctx, to);
    expect(mails).toEqual([
      expect.objectContaining({ subject: 'Hello', text: 'Plain body', html: '<p>Plain body</p>' }),
    ]);
  });
});

describe('the dev outbox when DEV_OUTBOX is off', () => {
  const off = useTestContext({ worker: false, env: { DEV_OUTBOX: '0' } });

  it('does not exist', async () => {
    expectProblem(await call(off, 'GET', '/v1/dev/outbox'), 404, 'NOT_FOUND');
  });
});
