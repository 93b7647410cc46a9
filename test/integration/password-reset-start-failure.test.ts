// Acceptance 5 of issue 10 (password-reset part): a failed workflow start records no reset (and supersedes
// none), and a workflow whose reset row never appears ends GONE instead of waiting.
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { passwordResetActivities } from '../../activities/password-resets';
import { PASSWORD_RESET_ROW_GRACE_MS } from '../../domain/identity/password-reset-contract';
import { createLogger } from '../../domain/logger';
import { useTestContext } from '../helpers/context';
import { withFailingWorkflowStarts } from '../helpers/failing-temporal';
import { call } from '../helpers/http';
import { createMember, createTenant } from '../helpers/factories';
import { eventually } from './messaging-helpers';

const ctx = useTestContext();

const resets = (userId: string) =>
  ctx.orm.em
    .fork()
    .execute<{ id: string; status: string }[]>('select id, status from password_reset where user_id = ?', [
      userId,
    ]);

describe('password-reset workflow start policy', () => {
  it('a failed start records no reset and leaves the pending one usable', async () => {
    const ws = await createTenant(ctx);
    const member = await createMember(ctx, ws, 'Finance');
    const failing = withFailingWorkflowStarts(ctx);

    const own = await call(failing, 'POST', '/v1/auth/password-reset', { body: { email: member.email } });
    expect(own.status).toBeGreaterThanOrEqual(500);
    expect(await resets(member.userId)).toEqual([]);

    const first = await call(ctx, 'POST', `/v1/workspace/members/${member.userId}/password-reset`, {
      token: ws.admin.token,
    });
    expect(first.status).toBe(202);
    const [pending] = await eventually(async () => {
      const rows = await resets(member.userId);
      return rows.length ? rows : undefined;
    });
    const byAdmin = await call(failing, 'POST', `/v1/workspace/members/${member.userId}/password-reset`, {
      token: ws.admin.token,
    });
    expect(byAdmin.status).toBeGreaterThanOrEqual(500);
    expect(await resets(member.userId)).toEqual([{ id: pending!.id, status: 'PENDING' }]);
  });

  it('a workflow whose reset row never appears (the API died after the start) ends GONE', async () => {
    const activities = passwordResetActivities({
      orm: ctx.orm,
      config: ctx.config,
      logger: createLogger('silent'),
    });
    const send = (scheduledTimestampMs: number) =>
      new MockActivityEnvironment({ scheduledTimestampMs }, { logger: new DefaultLogger('ERROR') }).run(
        activities.sendPasswordResetMail,
        { key: `password-reset-${randomUUID()}:mail`, resetId: randomUUID() },
      );
    await expect(send(Date.now())).rejects.toMatchObject({ type: 'NOT_FOUND', nonRetryable: false });
    await expect(send(Date.now() - PASSWORD_RESET_ROW_GRACE_MS - 1)).resolves.toBe('GONE');
  });
});
