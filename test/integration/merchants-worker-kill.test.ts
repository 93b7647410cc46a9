// The worker dies during merchant provisioning, right after a step committed its rows but before it reported
// back (the hardest case for idempotence), at three different steps; a fresh worker finishes each provisioning
// exactly once: one workspace, one admin membership, one wallet per currency, one invitation and its one mail.
import { Context } from '@temporalio/activity';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context';
import { createTenant, type WorkspaceFixture } from '../helpers/factories';
import { call } from '../helpers/http';
import { apply, waitForMerchant } from '../helpers/merchants';
import { realActivities, stopWorker, type Overrides } from '../helpers/payouts';
import { outboxMails } from './messaging-helpers';

const ctx = useTestContext({ worker: false });

const STEPS = ['createWorkspace', 'openWorkspaceWallets', 'createActivationInvitation'] as const;

async function count(sql: string, params: unknown[]): Promise<number> {
  const [row] = await ctx.orm.em.fork().execute<{ n: string }[]>(sql, params);
  return Number(row!.n);
}

describe('killing the worker during merchant provisioning', () => {
  it('a fresh worker completes each provisioning once', { timeout: 120_000 }, async () => {
    const killAt = new Map<string, string>();
    const entered = new Map<string, () => void>();
    const reached: Promise<void>[] = [];
    const tenants: WorkspaceFixture[] = [];
    for (const step of STEPS) {
      const tenant = await createTenant(ctx);
      tenants.push(tenant);
      killAt.set(tenant.tenantId, step);
      reached.push(new Promise<void>((resolve) => entered.set(tenant.tenantId, resolve)));
    }
    const real = realActivities(ctx) as unknown as Record<string, (input: any) => Promise<unknown>>;
    const doomedSteps: Overrides = Object.fromEntries(
      STEPS.map((name) => [
        name,
        async (input: any) => {
          const result = await real[name]!(input);
          if (killAt.get(input.tenantId) === name) {
            entered.get(input.tenantId)!();
            await Context.current().cancelled; // committed, never reported: the worker dies here
          }
          return result;
        },
      ]),
    );
    const doomed = await ctx.startWorker(doomedSteps);

    const applications = [];
    for (const tenant of tenants) {
      const { id, body } = await apply(ctx, tenant.tenantId, { currencies: ['EUR', 'GBP', 'USD'] });
      const approved = await call(ctx, 'POST', `/v1/tenant/merchant-applications/${id}/approve`, {
        token: tenant.admin.token,
      });
      expect(approved.status).toBe(200);
      applications.push({ tenant, body, merchantId: approved.body.merchantId as string });
    }
    await Promise.all(reached);
    await stopWorker(doomed);
    await ctx.startWorker({});

    for (const { tenant, body, merchantId } of applications) {
      const merchant = await waitForMerchant(ctx, tenant.admin.token, merchantId);
      expect(merchant.status, killAt.get(tenant.tenantId)).toBe('ACTIVE');
      expect(merchant.wallets.map((w: { currency: string }) => w.currency)).toEqual(['EUR', 'GBP', 'USD']);
      const tenantScope = [tenant.tenantId];
      expect(
        await count(
          `select count(*) as n from workspace where tenant_id = ? and kind = 'MERCHANT'`,
          tenantScope,
        ),
      ).toBe(1);
      expect(await count('select count(*) as n from wallet where tenant_id = ?', tenantScope)).toBe(3);
      expect(
        await count('select count(*) as n from membership where workspace_id = ?', [merchant.workspaceId]),
      ).toBe(1);
      expect(
        await count('select count(*) as n from invitation where workspace_id = ?', [merchant.workspaceId]),
      ).toBe(1);
      expect(
        await count(
          `select count(*) as n from audit_log where tenant_id = ? and action = 'merchant.activated'`,
          tenantScope,
        ),
      ).toBe(1);
      expect(await outboxMails(ctx, body.email)).toHaveLength(1);
    }
  });
});
