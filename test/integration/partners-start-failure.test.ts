// Acceptance 5 of #10 for partners: the provisioning workflow writes the partner row itself (Update-with-Start),
// so a workflow start that fails leaves no partner behind, PROVISIONING or otherwise.
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context';
import { call } from '../helpers/http';
import { createTenant } from '../helpers/factories';
import { partnerBody, withFailingStarts } from '../helpers/partners';

const ctx = useTestContext();

describe('partner provisioning when the workflow cannot start', () => {
  it('answers an error and leaves no partner, no audit row and nothing PROVISIONING', async () => {
    const tenant = await createTenant(ctx);
    const broken = withFailingStarts(ctx);
    const body = partnerBody({ referralCode: `NOSTART-${Date.now()}` });
    const res = await call(broken, 'POST', '/v1/tenant/partners', { token: tenant.admin.token, body });
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(res.body.requestId ?? res.headers.get('x-request-id')).toBeTruthy();

    const em = ctx.orm.em.fork();
    expect(await em.execute('select id from partner where tenant_id = ?', [tenant.tenantId])).toEqual([]);
    expect(
      await em.execute(`select id from audit_log where tenant_id = ? and action like 'partner.%'`, [
        tenant.tenantId,
      ]),
    ).toEqual([]);

    // The same request through a working Temporal goes through: nothing was left holding the email or code.
    const retry = await call(ctx, 'POST', '/v1/tenant/partners', { token: tenant.admin.token, body });
    expect(retry.status).toBe(202);
    const [row] = await em.execute<{ status: string }[]>('select status from partner where id = ?', [
      retry.body.id,
    ]);
    expect(row?.status).toBeDefined();
  });
});
