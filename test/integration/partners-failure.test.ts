import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context';
import { call } from '../helpers/http';
import { createTenant } from '../helpers/factories';
import { partnerBody, waitForPartner } from '../helpers/partners';

const ctx = useTestContext({
  activityOverrides: {
    createPartnerWallets: async () => {
      throw ApplicationFailure.nonRetryable('the ledger refused to open the wallet', 'INTERNAL');
    },
  },
});

async function count(sql: string, params: unknown[]): Promise<number> {
  const [row] = await ctx.orm.em.fork().execute<{ n: string }[]>(sql, params);
  return Number(row!.n);
}

describe('partner provisioning failure', () => {
  it('compensates every created piece when the wallet step fails: FAILED with a reason, no orphans', async () => {
    const tenant = await createTenant(ctx);
    const body = partnerBody({ referralCode: `FAIL-${Date.now()}` });
    const res = await call(ctx, 'POST', '/v1/tenant/partners', { token: tenant.admin.token, body });
    expect(res.status).toBe(202);
    const partner = await waitForPartner(ctx, tenant.admin.token, res.body.id);
    expect(partner).toMatchObject({
      status: 'FAILED',
      failureReason: 'the ledger refused to open the wallet',
      workspaceId: null,
      adminUserId: null,
      wallets: [],
      referralCode: null,
    });
    await expect(ctx.temporal.workflow.getHandle(res.body.workflowId).result()).rejects.toThrow();

    const t = tenant.tenantId;
    expect(await count('select count(*) as n from workspace where tenant_id = ?', [t])).toBe(1);
    expect(
      await count(`select count(*) as n from workspace where tenant_id = ? and kind = 'PARTNER'`, [t]),
    ).toBe(0);
    expect(
      await count(
        `select count(*) as n from role r where not exists (select 1 from workspace w where w.id = r.workspace_id)`,
        [],
      ),
    ).toBe(0);
    expect(await count('select count(*) as n from app_user where login_email = ?', [body.adminEmail])).toBe(
      0,
    );
    expect(
      await count(
        'select count(*) as n from membership m where not exists (select 1 from app_user u where u.id = m.user_id)',
        [],
      ),
    ).toBe(0);
    expect(await count('select count(*) as n from wallet where tenant_id = ?', [t])).toBe(0);
    expect(
      await count(`select count(*) as n from ledger_account where tenant_id = ? and kind = 'WALLET'`, [t]),
    ).toBe(0);
    expect(await count('select count(*) as n from referral_code where tenant_id = ?', [t])).toBe(0);
    expect(await count('select count(*) as n from invitation where tenant_id = ?', [t])).toBe(0);
    const audit = await ctx.orm.em
      .fork()
      .execute<{ action: string }[]>('select action from audit_log where target_id = ? order by id', [
        res.body.id,
      ]);
    expect(audit.map((a) => a.action)).toEqual([
      'partner.provisioning_requested',
      'partner.provisioning_failed',
    ]);

    // The admin email and the code are free again: a FAILED partner does not hold them.
    const retry = await call(ctx, 'POST', '/v1/tenant/partners', { token: tenant.admin.token, body });
    expect(retry.status).toBe(202);
  });
});
