import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context';
import { call, expectProblem } from '../helpers/http';
import { createTenant, uniqueEmail } from '../helpers/factories';
import { expectHistoryFreeOf, outboxMails, tokenFrom, tokenSecrets } from './messaging-helpers';

const ctx = useTestContext({ env: { INVITATION_TTL: '2s' } });

describe('invitation expiry (INVITATION_TTL=2s)', () => {
  it('expires by the workflow timer: EXPIRED, the link is dead, a new invitation may be sent', async () => {
    const ws = await createTenant(ctx);
    const email = uniqueEmail('expiring');
    const created = await call(ctx, 'POST', '/v1/workspace/invitations', {
      token: ws.admin.token,
      body: { email, roleId: ws.roles.Finance },
    });
    expect(created.status).toBe(202);
    const token = tokenFrom((await outboxMails(ctx, email))[0]!.text);

    const workflowId = `invitation-${created.body.id}`;
    expect(await ctx.temporal.workflow.getHandle(workflowId).result()).toBe('EXPIRED');
    const [row] = await ctx.orm.em
      .fork()
      .execute('select status, token_hash from invitation where id = ?', [created.body.id]);
    expect(row).toEqual({ status: 'EXPIRED', token_hash: null });
    expectProblem(
      await call(ctx, 'POST', '/v1/invitations/accept', {
        body: { token, name: 'Too Late', password: 'a long enough password' },
      }),
      400,
      'INVALID_TOKEN',
    );
    const listed = await call(ctx, 'GET', '/v1/workspace/invitations?status=EXPIRED', {
      token: ws.admin.token,
    });
    expect(listed.body.data.map((i: { id: string }) => i.id)).toEqual([created.body.id]);
    const audit = await call(ctx, 'GET', '/v1/tenant/audit-log?action=invitation.expired', {
      token: ws.admin.token,
    });
    expect(audit.body.data).toEqual([expect.objectContaining({ targetId: created.body.id, actorId: null })]);
    await expectHistoryFreeOf(ctx, workflowId, tokenSecrets(token), [created.body.id, 'expireInvitation']);

    const again = await call(ctx, 'POST', '/v1/workspace/invitations', {
      token: ws.admin.token,
      body: { email, roleId: ws.roles.Finance },
    });
    expect(again.status).toBe(202);
  });
});
