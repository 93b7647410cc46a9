import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index';
import { createLogger } from '../../domain/logger';
import { useTestContext } from '../helpers/context';
import { storePendingBatch } from '../helpers/onboarding';
import { call, expectProblem } from '../helpers/http';
import { createTenant, uniqueEmail } from '../helpers/factories';
import { createPartner } from '../helpers/partners';

const ctx = useTestContext({ env: { ONBOARDING_CONCURRENCY: '20' } });

async function rows(sql: string, params: unknown[] = []): Promise<any[]> {
  return ctx.orm.em.fork().execute(sql, params);
}

function postCsv(token: string, csv: string) {
  return call(ctx, 'POST', '/v1/tenant/onboarding-batches', {
    token,
    headers: { 'content-type': 'text/csv' },
    rawBody: csv,
  });
}

/** Polls the batch until it leaves RUNNING and its rows have settled. */
async function waitForBatch(token: string, id: string): Promise<any> {
  for (let attempt = 0; attempt < 1200; attempt++) {
    const res = await call(ctx, 'GET', `/v1/tenant/onboarding-batches/${id}`, { token });
    expect(res.status).toBe(200);
    if (res.body.completedAt) return res.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`batch ${id} did not finish`);
}

async function allRows(token: string, id: string, status?: string): Promise<any[]> {
  const out: any[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({
      limit: '70',
      ...(status ? { status } : {}),
      ...(cursor ? { cursor } : {}),
    });
    const res: any = await call(ctx, 'GET', `/v1/tenant/onboarding-batches/${id}/rows?${query}`, { token });
    expect(res.status).toBe(200);
    out.push(...res.body.data);
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}

async function livePartners(tenantId: string): Promise<any[]> {
  return rows(`select id, admin_email, status from partner where tenant_id = ? and status <> 'FAILED'`, [
    tenantId,
  ]);
}

describe('bulk onboarding', () => {
  it('onboards 190 of 200 CSV rows, reports 10 bad rows with reasons, and never duplicates on a re-run', async () => {
    const tenant = await createTenant(ctx);
    const token = tenant.admin.token;
    const existing = await createPartner(ctx, tenant.tenantId);
    const tag = randomUUID().slice(0, 6);
    const lines = ['name,adminEmail,adminName,currencies'];
    const expectedErrors = new Map<number, RegExp>();
    for (let i = 1; i <= 200; i++) {
      let email = `bulk-${tag}-${i}@example.test`;
      let currencies = i % 2 ? 'USD;EUR' : 'GBP';
      if (i <= 3) {
        email = `not-an-email-${i}`;
        expectedErrors.set(i, /adminEmail: .* is not a valid email/);
      } else if (i <= 6) {
        currencies = 'USD;XYZ';
        expectedErrors.set(i, /unknown currency XYZ/);
      } else if (i <= 8) {
        email = `bulk-${tag}-${i + 100}@example.test`.toUpperCase();
        expectedErrors.set(i + 100, new RegExp(`already used by row ${i}\\b`));
      } else if (i === 9) {
        email = existing.admin.email;
        expectedErrors.set(i, /already used by an existing partner or user/);
      } else if (i === 10) {
        email = tenant.admin.email;
        expectedErrors.set(i, /already used by an existing partner or user/);
      }
      lines.push(`"Partner ${tag} ${i}, Ltd",${email},"Admin ""${i}""",${currencies}`);
    }
    const csv = `${lines.join('\r\n')}\r\n`;

    const res = await postCsv(token, csv);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      id: expect.any(String),
      status: 'RUNNING',
      total: 200,
      workflowId: `onboarding-batch-${res.body.id}`,
    });
    const batch = await waitForBatch(token, res.body.id);
    expect(batch).toMatchObject({
      status: 'COMPLETED',
      total: 200,
      succeeded: 190,
      failed: 10,
      pending: 0,
      skipped: 0,
    });

    const failed = await allRows(token, res.body.id, 'FAILED');
    expect(failed.map((r) => r.rowNumber).sort((a, b) => a - b)).toEqual(
      [...expectedErrors.keys()].sort((a, b) => a - b),
    );
    for (const row of failed) {
      expect(row.error).toMatch(expectedErrors.get(row.rowNumber)!);
      expect(row.partnerId).toBeNull();
    }
    const succeeded = await allRows(token, res.body.id, 'SUCCEEDED');
    expect(succeeded).toHaveLength(190);
    expect(succeeded[0]).toEqual({
      rowNumber: 7,
      input: {
        name: `Partner ${tag} 7, Ltd`,
        adminEmail: `bulk-${tag}-107@example.test`,
        adminName: 'Admin "7"',
        currencies: ['USD', 'EUR'],
      },
      status: 'SUCCEEDED',
      partnerId: expect.any(String),
      error: null,
    });
    const partners = await livePartners(tenant.tenantId);
    expect(partners).toHaveLength(191);
    expect(partners.every((p) => p.status === 'ACTIVE')).toBe(true);
    const onboarded = new Set(succeeded.map((r) => r.partnerId));
    expect(partners.filter((p) => onboarded.has(p.id))).toHaveLength(190);
    const [wallets] = await rows(
      `select count(*) as n from wallet w join partner p on p.workspace_id = w.workspace_id where p.id = any(?::uuid[])`,
      [`{${[...onboarded].join(',')}}`],
    );
    expect(Number(wallets!.n)).toBe(succeeded.reduce((n, r) => n + r.input.currencies.length, 0));

    const again = await postCsv(token, csv);
    expect(again.status).toBe(202);
    const second = await waitForBatch(token, again.body.id);
    expect(second).toMatchObject({ status: 'COMPLETED', succeeded: 0, failed: 200 });
    const reasons = await allRows(token, again.body.id);
    expect(reasons.filter((r) => /already used by an existing partner or user/.test(r.error))).toHaveLength(
      192,
    );
    expect(await livePartners(tenant.tenantId)).toHaveLength(191);
  }, 240_000);

  it('provisions a chunk of rows in one activity: a refused row fails alone, a retried chunk creates nothing', async () => {
    const tenant = await createTenant(ctx);
    const existing = await createPartner(ctx, tenant.tenantId);
    const batchId = randomUUID();
    const tag = randomUUID().slice(0, 6);
    const input = [1, 2, 3].map((i) => ({
      name: `Chunk ${tag} ${i}`,
      adminEmail: i === 2 ? existing.admin.email : `chunk-${tag}-${i}@example.test`,
      adminName: `Admin ${i}`,
      currencies: i === 3 ? ['USD', 'EUR'] : ['USD'],
    }));
    await storePendingBatch(ctx, tenant, batchId, input);
    const activities = createActivities({
      orm: ctx.orm,
      config: { ...ctx.config, TEMPORAL_TASK_QUEUE: ctx.taskQueue },
      logger: createLogger('silent'),
      temporal: ctx.temporal,
    });
    const chunk = {
      key: `onboarding-batch-${batchId}`,
      batchId,
      tenantId: tenant.tenantId,
      actorUserId: tenant.admin.userId,
      invitationTtlMs: 60_000,
      rows: input.map((row, i) => ({ rowNumber: i + 1, input: row })),
    };
    const created = async (): Promise<Record<string, number>> => {
      const [counts] = await rows(
        `select (select count(*) from partner where tenant_id = ?) as partners,
                  (select count(*) from workspace where tenant_id = ? and kind = 'PARTNER') as workspaces,
                  (select count(*) from wallet where tenant_id = ?) as wallets,
                  (select count(*) from invitation where tenant_id = ?) as invitations,
                  (select count(*) from referral_code where tenant_id = ?) as codes`,
        Array(5).fill(tenant.tenantId),
      );
      return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)]));
    };
    const before = await created();

    const provision = () => new MockActivityEnvironment().run(activities.provisionOnboardingRows, chunk);
    expect(await provision()).toBe(2);
    const outcome = await rows(
      `select r.row_number, r.status, r.error, p.status as partner_status, p.admin_user_id
         from onboarding_batch_row r left join partner p on p.id = r.partner_id
        where r.batch_id = ? order by r.row_number`,
      [batchId],
    );
    expect(outcome.map((r) => [r.row_number, r.status, r.partner_status])).toEqual([
      [1, 'SUCCEEDED', 'ACTIVE'],
      [2, 'FAILED', null],
      [3, 'SUCCEEDED', 'ACTIVE'],
    ]);
    expect(outcome[1].error).toMatch(/already used/);
    const after = await created();
    const delta = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - before[k]!]));
    expect(delta).toEqual({ partners: 2, workspaces: 2, wallets: 3, invitations: 2, codes: 2 });
    const invitations = await rows(
      `select i.id from invitation i join partner p on p.workspace_id = i.workspace_id
        where p.id in (select partner_id from onboarding_batch_row where batch_id = ?)`,
      [batchId],
    );
    expect(invitations).toHaveLength(2);
    for (const { id } of invitations) {
      const described = await ctx.temporal.workflow.getHandle(`invitation-${id}`).describe();
      expect(described.type).toBe('invitationWorkflow');
    }

    expect(await provision()).toBe(0);
    expect(await created()).toEqual(after);
  });

  it('accepts JSON rows and refuses malformed batches with 400, creating nothing', async () => {
    const tenant = await createTenant(ctx);
    const token = tenant.admin.token;
    const email = uniqueEmail('json');
    const res = await call(ctx, 'POST', '/v1/tenant/onboarding-batches', {
      token,
      body: {
        rows: [
          { name: 'Json Partner', adminEmail: email, adminName: 'J', currencies: ['JPY'] },
          { name: 'No currencies', adminEmail: uniqueEmail(), adminName: 'J', currencies: [] },
          'not a row',
        ],
      },
    });
    expect(res.status).toBe(202);
    const batch = await waitForBatch(token, res.body.id);
    expect(batch).toMatchObject({ status: 'COMPLETED', total: 3, succeeded: 1, failed: 2 });
    const [partner] = await livePartners(tenant.tenantId);
    expect(partner).toMatchObject({ admin_email: email, status: 'ACTIVE' });

    const before = await rows('select count(*) as n from onboarding_batch where tenant_id = ?', [
      tenant.tenantId,
    ]);
    const bad: [string, string][] = [
      ['application/json', JSON.stringify({ rows: [] })],
      ['application/json', JSON.stringify({ rows: [{}], extra: 1 })],
      ['application/json', '{"rows": ['],
      ['text/csv', 'name,email\nA,a@example.test\n'],
      ['text/csv', 'name,adminEmail,adminName,currencies\n'],
      ['text/csv', 'name,adminEmail,adminName,currencies\n"unterminated,x,y,USD\n'],
      ['text/plain', 'hello'],
    ];
    for (const [type, body] of bad) {
      expectProblem(
        await call(ctx, 'POST', '/v1/tenant/onboarding-batches', {
          token,
          headers: { 'content-type': type },
          rawBody: body,
        }),
        400,
        'VALIDATION_FAILED',
      );
    }
    const after = await rows('select count(*) as n from onboarding_batch where tenant_id = ?', [
      tenant.tenantId,
    ]);
    expect(after).toEqual(before);
  });

  it("answers 404 for another tenant's batch", async () => {
    const tenantA = await createTenant(ctx);
    const tenantB = await createTenant(ctx);
    const res = await call(ctx, 'POST', '/v1/tenant/onboarding-batches', {
      token: tenantB.admin.token,
      body: { rows: [{ name: 'B', adminEmail: 'bad', adminName: 'B', currencies: ['USD'] }] },
    });
    expect(res.status).toBe(202);
    for (const [method, path] of [
      ['GET', `/v1/tenant/onboarding-batches/${res.body.id}`],
      ['GET', `/v1/tenant/onboarding-batches/${res.body.id}/rows`],
      ['POST', `/v1/tenant/onboarding-batches/${res.body.id}/cancel`],
    ] as const) {
      expectProblem(await call(ctx, method, path, { token: tenantA.admin.token }), 404, 'NOT_FOUND');
    }
  });
});
