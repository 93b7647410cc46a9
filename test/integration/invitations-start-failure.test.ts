// Acceptance 5 of issue 10 (invitation part): a workflow start that fails, or rows that fail to commit after
// the start, leave no invitation PENDING for ever and no workflow waiting for rows that will never exist.
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { invitationActivities } from '../../activities/invitations';
import { INVITATION_ROW_GRACE_MS } from '../../domain/identity/invitation-contract';
import { createLogger } from '../../domain/logger';
import { useTestContext } from '../helpers/context';
import { withFailingWorkflowStarts } from '../helpers/failing-temporal';
import { call } from '../helpers/http';
import { createTenant, uniqueEmail } from '../helpers/factories';
import { eventually } from './messaging-helpers';

const ctx = useTestContext();

const invitationsFor = (email: string) =>
  ctx.orm.em
    .fork()
    .execute<{ id: string; status: string }[]>('select id, status from invitation where email = ?', [email]);

const invite = (target: typeof ctx, token: string, email: string, roleId: string) =>
  call(target, 'POST', '/v1/workspace/invitations', { token, body: { email, roleId } });

describe('invitation workflow start policy', () => {
  it('a failed workflow start leaves no PENDING invitation, and the email can be invited again', async () => {
    const ws = await createTenant(ctx);
    const email = uniqueEmail('unstarted');
    const failed = await invite(withFailingWorkflowStarts(ctx), ws.admin.token, email, ws.roles.Finance!);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(await invitationsFor(email)).toEqual([]);

    const retried = await invite(ctx, ws.admin.token, email, ws.roles.Finance!);
    expect(retried.status).toBe(202);
    expect(await invitationsFor(email)).toEqual([{ id: retried.body.id, status: 'PENDING' }]);
  });

  it('rows that fail to commit after the start end the started workflow; nothing is PENDING', async () => {
    const ws = await createTenant(ctx);
    const email = uniqueEmail('uncommitted');
    const em = ctx.orm.em.fork();
    // Real PostgreSQL refuses this one email's invitation row after the API started its workflow.
    await em.execute(`create or replace function refuse_invitation() returns trigger language plpgsql as $$
      begin if new.email = '${email}' then raise exception 'injected commit failure'; end if; return new; end $$`);
    await em.execute(`create trigger refuse_invitation_${ws.tenantId.slice(0, 8)} before insert on invitation
      for each row execute function refuse_invitation()`);
    try {
      const failed = await invite(ctx, ws.admin.token, email, ws.roles.Finance!);
      expect(failed.status).toBeGreaterThanOrEqual(500);
    } finally {
      await em.execute(`drop trigger refuse_invitation_${ws.tenantId.slice(0, 8)} on invitation`);
    }
    expect(await invitationsFor(email)).toEqual([]);
    const audit = await em.execute<{ target_id: string }[]>(
      `select target_id from audit_log where tenant_id = ? and action = 'invitation.created'`,
      [ws.tenantId],
    );
    expect(audit).toEqual([]);
    const statuses = await eventually(async () => {
      const found: string[] = [];
      const started = ctx.temporal.workflow.list({
        query: `WorkflowType = 'invitationWorkflow' AND TenantId = '${ws.tenantId}'`,
      });
      for await (const execution of started) found.push(execution.status.name);
      return found.length && found.every((s) => s !== 'RUNNING') ? found : undefined;
    });
    expect(statuses).toEqual(['TERMINATED']);
  });

  it('a workflow whose row never appears (the API died after the start) ends GONE instead of waiting', async () => {
    const activities = invitationActivities({
      orm: ctx.orm,
      config: ctx.config,
      logger: createLogger('silent'),
    });
    const send = (scheduledTimestampMs: number) =>
      new MockActivityEnvironment({ scheduledTimestampMs }, { logger: new DefaultLogger('ERROR') }).run(
        activities.sendInvitationMail,
        {
          key: `invitation-${randomUUID()}:mail-0`,
          invitationId: randomUUID(),
        },
      );
    await expect(send(Date.now())).rejects.toMatchObject({ type: 'NOT_FOUND', nonRetryable: false });
    await expect(send(Date.now() - INVITATION_ROW_GRACE_MS - 1)).resolves.toBe('GONE');
  });
});
