import { describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/activity';
import { useTestContext } from '../helpers/context';
import { call } from '../helpers/http';
import { uniqueEmail } from '../helpers/factories';

// The channel-products step fails permanently: every earlier step must be compensated.
const ctx = useTestContext({
  activityOverrides: {
    createDefaultChannelProducts: async () => {
      throw ApplicationFailure.nonRetryable('injected failure in the channel products step', 'INJECTED');
    },
  },
});

describe('tenant provisioning rollback', () => {
  it('leaves nothing half-created when an activity fails permanently', async () => {
    const adminEmail = uniqueEmail('rollback');
    const res = await call(ctx, 'POST', '/v1/platform/tenants', {
      headers: { authorization: 'Bearer test-platform-admin-token-0123456789' },
      body: { name: 'Doomed Bank', adminEmail, adminName: 'Doomed', adminPassword: 'a long enough password' },
    });
    expect(res.status).toBe(500);
    expect(res.body.code).toBe('INTERNAL');

    const em = ctx.orm.em.fork();
    expect(await em.execute("select id from tenant where name = 'Doomed Bank'")).toEqual([]);
    expect(await em.execute('select id from app_user where login_email = ?', [adminEmail])).toEqual([]);
    expect(await em.execute("select id from workspace where name = 'Doomed Bank'")).toEqual([]);

    const [execution] = await collect(
      ctx.temporal.workflow.list({ query: `TaskQueue = '${ctx.taskQueue}'` }),
    );
    expect(execution!.status.name).toBe('FAILED');
    const tenantId = execution!.workflowId.replace('tenant-provisioning-', '');
    expect(
      await em.execute(
        'select id from role where workspace_id in (select id from workspace where tenant_id = ?)',
        [tenantId],
      ),
    ).toEqual([]);
    expect(await em.execute('select id from channel_product where tenant_id = ?', [tenantId])).toEqual([]);
    // The audit trail is append-only: it keeps what happened, ending with the rollback.
    const audit = await em.execute('select action from audit_log where tenant_id = ? order by id', [
      tenantId,
    ]);
    expect(audit.map((a) => a.action)).toEqual(['member.added', 'tenant.provisioning_rolled_back']);
  });
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
