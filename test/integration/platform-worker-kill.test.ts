import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { SYSTEM_ROLES } from '../../domain/permissions';
import { DEFAULT_CHANNEL_PRODUCTS } from '../../db/store/tenancy';
import { hashPassword } from '../../domain/passwords';
import { stopChild, ROOT } from '../../scripts/services';
import { taskQueueHasPollers } from '../../api/routes/health';
import { useTestContext } from '../helpers/context';
import { uniqueEmail } from '../helpers/factories';

// A real worker process is SIGKILLed in the middle of provisioning; a fresh worker finishes the job exactly once.
const ctx = useTestContext({ worker: false });

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}

describe('killing the worker during tenant provisioning', () => {
  it('completes the provisioning once after a new worker starts', async () => {
    const em = ctx.orm.em.fork();
    const tenantId = randomUUID();
    const credentialId = randomUUID();
    const email = uniqueEmail('kill');
    await em.execute(
      "insert into pending_credential (id, password_hash, expires_at, created_at) values (?, ?, now() + interval '1 hour', now())",
      [credentialId, await hashPassword('a long enough password')],
    );

    const child = spawn(process.execPath, ['--import', 'tsx', `${ROOT}/worker/main.ts`], {
      env: {
        ...process.env,
        DATABASE_URL: ctx.config.DATABASE_URL,
        TEMPORAL_ADDRESS: ctx.config.TEMPORAL_ADDRESS,
        TEMPORAL_TASK_QUEUE: ctx.taskQueue,
        LOG_LEVEL: 'silent',
      },
      stdio: 'ignore',
    });
    // The worker process may take long to start on a loaded machine: wait until it polls before locking.
    await waitFor(() => taskQueueHasPollers(ctx.temporal, ctx.taskQueue), 180_000);
    // Hold a lock the channel-products step needs, so the worker is provably mid-activity when it dies.
    const blocker = new pg.Client({ connectionString: ctx.config.DATABASE_URL });
    await blocker.connect();
    await blocker.query('begin');
    await blocker.query('lock table channel_product in exclusive mode');
    const handle = await ctx.temporal.workflow.start('provisionTenantWorkflow', {
      taskQueue: ctx.taskQueue,
      workflowId: `tenant-provisioning-${tenantId}`,
      args: [
        {
          tenantId,
          name: 'Kill Bank',
          workspaceId: randomUUID(),
          roleIds: Object.fromEntries(SYSTEM_ROLES.map((r) => [r.name, randomUUID()])),
          channelProductIds: Object.fromEntries(DEFAULT_CHANNEL_PRODUCTS.map((p) => [p.code, randomUUID()])),
          admin: {
            userId: randomUUID(),
            membershipId: randomUUID(),
            email,
            name: 'Kill Admin',
            credentialId,
          },
        },
      ],
    });
    try {
      await waitFor(async () => {
        const rows = await em.fork().execute('select 1 from app_user where login_email = ?', [email]);
        return rows.length === 1;
      }, 60_000);
      await new Promise((r) => setTimeout(r, 300));
      await stopChild(child, 'SIGKILL');
    } finally {
      await blocker.query('rollback');
      await blocker.end();
    }

    await ctx.startWorker();
    const result = await handle.result();
    expect(result.tenantId).toBe(tenantId);
    const check = em.fork();
    expect(await check.execute('select id from tenant where id = ?', [tenantId])).toHaveLength(1);
    expect(await check.execute('select id from app_user where login_email = ?', [email])).toHaveLength(1);
    expect(
      await check.execute('select code from channel_product where tenant_id = ?', [tenantId]),
    ).toHaveLength(2);
    const history = await handle.fetchHistory();
    // The step the killed worker was running was retried by the new worker (attempt 2 or later).
    const attempts = (history.events ?? []).map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 0);
    expect(Math.max(...attempts)).toBeGreaterThanOrEqual(2);
    expect((await handle.describe()).status.name).toBe('COMPLETED');
  }, 300_000);
});
