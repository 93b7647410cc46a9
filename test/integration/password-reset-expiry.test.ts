import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context';
import { call, expectProblem } from '../helpers/http';
import { createMember, createTenant } from '../helpers/factories';
import { expectHistoryFreeOf, outboxMails, tokenFrom, tokenSecrets } from './messaging-helpers';

const ctx = useTestContext({ env: { PASSWORD_RESET_TTL: '2s' } });

describe('password reset expiry (PASSWORD_RESET_TTL=2s)', () => {
  it('an expired token is refused and the workflow ends EXPIRED', async () => {
    const ws = await createTenant(ctx);
    const member = await createMember(ctx, ws, 'Finance');
    expect(
      (await call(ctx, 'POST', '/v1/auth/password-reset', { body: { email: member.email } })).status,
    ).toBe(202);
    const token = tokenFrom((await outboxMails(ctx, member.email))[0]!.text);
    const [reset] = await ctx.orm.em
      .fork()
      .execute('select id from password_reset where user_id = ?', [member.userId]);
    const workflowId = `password-reset-${reset!.id}`;
    expect(await ctx.temporal.workflow.getHandle(workflowId).result()).toBe('EXPIRED');
    expectProblem(
      await call(ctx, 'POST', '/v1/auth/password-reset/complete', {
        body: { token, newPassword: 'too late for this one' },
      }),
      400,
      'INVALID_TOKEN',
    );
    const [row] = await ctx.orm.em
      .fork()
      .execute('select status, token_hash from password_reset where id = ?', [reset!.id]);
    expect(row).toEqual({ status: 'EXPIRED', token_hash: null });
    expect((await call(ctx, 'GET', '/v1/me/invitations', { token: member.token })).status).toBe(200);
    await expectHistoryFreeOf(ctx, workflowId, tokenSecrets(token), [reset!.id, 'expirePasswordReset']);
  });
});
