// The scheduled cleanup of expiring rows: expired MFA challenges, idle throttle counters, expired sessions,
// unused parked password hashes and long-dead password resets go, in bounded batches; live rows stay.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parkCredential } from '../../db/store/credentials';
import { insertMfaChallenge } from '../../db/store/mfa-challenges';
import { insertPasswordReset } from '../../db/store/password-resets';
import { insertSession } from '../../db/store/sessions';
import { countFailure } from '../../db/store/throttle';
import {
  EXPIRED_ROWS_CLEANUP_SCHEDULE_ID,
  type PurgeExpiredRowsReport,
} from '../../domain/maintenance/contract';
import { ensureExpiredRowsCleanupSchedule } from '../../worker/schedules';
import { testConfig, useTestContext } from '../helpers/context';
import { createTenant } from '../helpers/factories';

const ctx = useTestContext();

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const ago = (ms: number) => new Date(Date.now() - ms);
const digest = () => randomUUID().replace(/-/g, '').padEnd(64, '0');

async function exists(table: string, column: string, value: string): Promise<boolean> {
  const rows = await ctx.orm.em.fork().execute(`select 1 from ${table} where ${column} = ?`, [value]);
  return rows.length === 1;
}

describe('expired rows cleanup', () => {
  it('deletes expired rows in batches and keeps live ones', async () => {
    const tenant = await createTenant(ctx);
    const { userId } = tenant.admin;
    const { workspaceId } = tenant;
    const em = ctx.orm.em.fork();

    const challenges = { expired: digest(), recentlyExpired: digest(), live: digest() };
    await insertMfaChallenge(em, {
      tokenHash: challenges.expired,
      userId,
      workspaceId,
      expiresAt: ago(2 * 60 * MINUTE),
    });
    await insertMfaChallenge(em, {
      tokenHash: challenges.recentlyExpired,
      userId,
      workspaceId,
      expiresAt: ago(10 * MINUTE),
    });
    await insertMfaChallenge(em, {
      tokenHash: challenges.live,
      userId,
      workspaceId,
      expiresAt: ago(-5 * MINUTE),
    });

    const sessions = { idleExpired: digest(), absoluteExpired: digest(), live: digest() };
    const session = (id: string, expiresAt: Date, absoluteExpiresAt: Date) =>
      insertSession(em, { id, userId, workspaceId, expiresAt, absoluteExpiresAt, ip: null, userAgent: null });
    await session(sessions.idleExpired, ago(MINUTE), ago(-DAY));
    await session(sessions.absoluteExpired, ago(-DAY), ago(MINUTE));
    await session(sessions.live, ago(-60 * MINUTE), ago(-DAY));

    const throttle = {
      idle: `test:${randomUUID()}`,
      blocked: `test:${randomUUID()}`,
      fresh: `test:${randomUUID()}`,
    };
    for (const key of Object.values(throttle)) await countFailure(em, key, 15 * MINUTE);
    // Test-only backdating: the store has no reason to write past timestamps.
    await em.execute(`update throttle_counter set updated_at = ? where key in (?, ?)`, [
      ago(2 * DAY),
      throttle.idle,
      throttle.blocked,
    ]);
    await em.execute(`update throttle_counter set blocked_until = ? where key = ?`, [
      ago(-DAY),
      throttle.blocked,
    ]);

    const credentials = { expired: randomUUID(), live: randomUUID() };
    await parkCredential(em, { id: credentials.expired, passwordHash: 'x', expiresAt: ago(2 * DAY) });
    await parkCredential(em.fork(), { id: credentials.live, passwordHash: 'x', expiresAt: ago(-DAY) });

    const resets = { old: randomUUID(), recent: randomUUID() };
    const reset = (id: string, ttlMs: number) =>
      insertPasswordReset(em, { id, userId, requestedBy: null, workspaceId: null, ttlMs });
    await reset(resets.old, -31 * DAY);
    await reset(resets.recent, -DAY);

    // Batches of 2 rows: each kind needs several statements.
    const report: PurgeExpiredRowsReport = await ctx.temporal.workflow.execute('purgeExpiredRowsWorkflow', {
      taskQueue: ctx.taskQueue,
      workflowId: `expired-rows-cleanup-test-${randomUUID()}`,
      args: [{ batchSize: 2, maxBatches: 10_000 }],
    });
    expect(report.unfinished).toEqual([]);
    expect(report.deleted.mfaChallenges).toBeGreaterThanOrEqual(1);
    expect(report.deleted.sessions).toBeGreaterThanOrEqual(2);
    expect(report.deleted.throttleCounters).toBeGreaterThanOrEqual(1);
    expect(report.deleted.pendingCredentials).toBeGreaterThanOrEqual(1);
    expect(report.deleted.passwordResets).toBeGreaterThanOrEqual(1);

    expect(await exists('mfa_challenge', 'token_hash', challenges.expired)).toBe(false);
    expect(await exists('mfa_challenge', 'token_hash', challenges.recentlyExpired)).toBe(true);
    expect(await exists('mfa_challenge', 'token_hash', challenges.live)).toBe(true);
    expect(await exists('session', 'id', sessions.idleExpired)).toBe(false);
    expect(await exists('session', 'id', sessions.absoluteExpired)).toBe(false);
    expect(await exists('session', 'id', sessions.live)).toBe(true);
    expect(await exists('throttle_counter', 'key', throttle.idle)).toBe(false);
    expect(await exists('throttle_counter', 'key', throttle.blocked)).toBe(true);
    expect(await exists('throttle_counter', 'key', throttle.fresh)).toBe(true);
    expect(await exists('pending_credential', 'id', credentials.expired)).toBe(false);
    expect(await exists('pending_credential', 'id', credentials.live)).toBe(true);
    expect(await exists('password_reset', 'id', resets.old)).toBe(false);
    expect(await exists('password_reset', 'id', resets.recent)).toBe(true);
    // The signed-in admin's own session is untouched.
    expect(
      (await ctx.app.request('/v1/me', { headers: { authorization: `Bearer ${tenant.admin.token}` } }))
        .status,
    ).toBe(200);
  });

  it('a run with a small budget reports the kinds it left for the next run', async () => {
    const tenant = await createTenant(ctx);
    const em = ctx.orm.em.fork();
    for (let i = 0; i < 3; i++) {
      await insertMfaChallenge(em, {
        tokenHash: digest(),
        userId: tenant.admin.userId,
        workspaceId: tenant.workspaceId,
        expiresAt: ago(2 * 60 * MINUTE),
      });
    }
    const report: PurgeExpiredRowsReport = await ctx.temporal.workflow.execute('purgeExpiredRowsWorkflow', {
      taskQueue: ctx.taskQueue,
      workflowId: `expired-rows-cleanup-test-${randomUUID()}`,
      args: [{ batchSize: 1, maxBatches: 2 }],
    });
    expect(report.deleted.mfaChallenges).toBe(2);
    expect(report.unfinished).toContain('mfaChallenges');
  });

  it('the worker keeps a Temporal Schedule running the cleanup at the configured interval', async () => {
    const config = testConfig({ EXPIRED_ROWS_CLEANUP_INTERVAL: '30m' });
    await ensureExpiredRowsCleanupSchedule(ctx.temporal, config, ctx.taskQueue);
    const handle = ctx.temporal.schedule.getHandle(EXPIRED_ROWS_CLEANUP_SCHEDULE_ID);
    try {
      const described = await handle.describe();
      expect(described.action).toMatchObject({
        type: 'startWorkflow',
        workflowType: 'purgeExpiredRowsWorkflow',
      });
      expect(described.spec.intervals?.[0]?.every).toBe(30 * MINUTE);
    } finally {
      await handle.delete();
    }
  });
});
