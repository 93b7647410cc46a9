import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index';
import { createLogger } from '../../domain/logger';
import { useTestContext } from '../helpers/context';
import { call, expectProblem } from '../helpers/http';
import { createMember, createTenant } from '../helpers/factories';
import { createPartner, partnerBody, provisionPartner } from '../helpers/partners';

const ctx = useTestContext();

async function rows(sql: string, params: unknown[] = []): Promise<any[]> {
  return ctx.orm.em.fork().execute(sql, params);
}

/** The provisioning workflow's input, read back from its history. */
async function workflowInput(workflowId: string): Promise<any> {
  const history = await ctx.temporal.workflow.getHandle(workflowId).fetchHistory();
  const payload = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
  return JSON.parse(Buffer.from(payload.data!).toString('utf8'));
}

/** The invitation token from the newest mail to `email` (waits for the invitation workflow to send it). */
async function invitationToken(email: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const res = await call(ctx, 'GET', `/v1/dev/outbox?to=${encodeURIComponent(email)}`);
    const mail = res.body.data?.[0];
    if (mail) {
      const match = /token=([A-Za-z0-9_-]+)/.exec(mail.text);
      if (match) return match[1]!;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no invitation mail to ${email}`);
}

describe('POST /v1/tenant/partners', () => {
  it('provisions an ACTIVE partner with workspace, roles, inactive admin, wallets, code and invitation', async () => {
    const tenant = await createTenant(ctx);
    const code = `Launch-${randomUUID().slice(0, 6)}`;
    const body = partnerBody({ currencies: ['USD', 'EUR', 'USD'], referralCode: code });
    const res = await call(ctx, 'POST', '/v1/tenant/partners', { token: tenant.admin.token, body });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      id: expect.any(String),
      status: 'PROVISIONING',
      workflowId: `partner-provisioning-${res.body.id}`,
    });
    const handle = ctx.temporal.workflow.getHandle(res.body.workflowId);
    await handle.result();
    const partner = (
      await call(ctx, 'GET', `/v1/tenant/partners/${res.body.id}`, { token: tenant.admin.token })
    ).body;
    expect(partner).toEqual({
      id: res.body.id,
      name: body.name,
      status: 'ACTIVE',
      workspaceId: expect.any(String),
      adminUserId: expect.any(String),
      adminEmail: body.adminEmail,
      wallets: [
        { id: expect.any(String), currency: 'EUR' },
        { id: expect.any(String), currency: 'USD' },
      ],
      referralCode: code.toUpperCase(),
      failureReason: null,
      createdAt: expect.any(String),
    });

    const [workspace] = await rows('select * from workspace where id = ?', [partner.workspaceId]);
    expect(workspace).toMatchObject({
      tenant_id: tenant.tenantId,
      kind: 'PARTNER',
      name: body.name,
      status: 'ACTIVE',
    });
    const roles = await rows(
      'select name, permissions, system from role where workspace_id = ? order by name',
      [partner.workspaceId],
    );
    expect(roles.map((r) => r.name)).toEqual([
      'Admin',
      'Customer Service',
      'Finance',
      'Operations',
      'Technical',
    ]);
    expect(roles.flatMap((r) => r.permissions).filter((p: string) => p.startsWith('tenant.'))).toEqual([]);
    const [admin] = await rows('select * from app_user where id = ?', [partner.adminUserId]);
    expect(admin).toMatchObject({ login_email: body.adminEmail, activated: false, password_hash: null });
    const [membership] = await rows(
      'select r.name, m.status from membership m join role r on r.id = m.role_id where m.user_id = ? and m.workspace_id = ?',
      [partner.adminUserId, partner.workspaceId],
    );
    expect(membership).toEqual({ name: 'Admin', status: 'ACTIVE' });
    const accounts = await rows(
      `select w.currency, a.kind from wallet w join ledger_account a on a.wallet_id = w.id
        where w.workspace_id = ? order by w.currency`,
      [partner.workspaceId],
    );
    expect(accounts).toEqual([
      { currency: 'EUR', kind: 'WALLET' },
      { currency: 'USD', kind: 'WALLET' },
    ]);
    const [invitation] = await rows('select * from invitation where workspace_id = ?', [partner.workspaceId]);
    expect(invitation).toMatchObject({ email: body.adminEmail, status: 'PENDING' });
    expect(await invitationToken(body.adminEmail)).toMatch(/^[A-Za-z0-9_-]{20,}$/);

    const audit = await rows(
      'select action from audit_log where tenant_id = ? and target_id = ? order by id',
      [tenant.tenantId, partner.id],
    );
    expect(audit.map((a) => a.action)).toEqual(['partner.provisioning_requested', 'partner.activated']);

    const description = await handle.describe();
    expect(description.status.name).toBe('COMPLETED');
    expect(description.typedSearchAttributes.get({ name: 'TenantId', type: 'KEYWORD' } as never)).toBe(
      tenant.tenantId,
    );
    expect(description.typedSearchAttributes.get({ name: 'OperationStatus', type: 'KEYWORD' } as never)).toBe(
      'COMPLETED',
    );
    const child = await ctx.temporal.workflow.getHandle(`invitation-${invitation!.id}`).describe();
    expect(child.status.name).toBe('RUNNING');
  });

  it('creates nothing twice when the provisioning steps are retried', async () => {
    const tenant = await createTenant(ctx);
    const { partner, workflowId } = await provisionPartner(ctx, tenant.admin.token);
    expect(partner.status).toBe('ACTIVE');
    const input = await workflowInput(workflowId);
    const activities = createActivities({ orm: ctx.orm, config: ctx.config, logger: createLogger('silent') });
    const snapshot = () =>
      rows(
        `select (select count(*) from workspace where tenant_id = ?) as workspaces,
                (select count(*) from role where workspace_id = ?) as roles,
                (select count(*) from membership where workspace_id = ?) as memberships,
                (select count(*) from wallet where workspace_id = ?) as wallets,
                (select count(*) from ledger_account where wallet_id in (select id from wallet where workspace_id = ?)) as accounts,
                (select count(*) from referral_code where tenant_id = ?) as codes,
                (select count(*) from invitation where workspace_id = ?) as invitations,
                (select count(*) from audit_log where tenant_id = ?) as audits`,
        [
          tenant.tenantId,
          partner.workspaceId,
          partner.workspaceId,
          partner.workspaceId,
          partner.workspaceId,
          tenant.tenantId,
          partner.workspaceId,
          tenant.tenantId,
        ],
      );
    const before = await snapshot();
    const key = workflowId;
    const common = { tenantId: input.tenantId, partnerId: input.partnerId };
    await activities.createPartnerRecord({
      key: `${key}:record`,
      ...common,
      name: input.name,
      adminEmail: input.admin.email,
      adminName: input.admin.name,
      currencies: input.wallets.map((w: any) => w.currency),
      actorUserId: input.actorUserId,
    });
    await activities.createPartnerWorkspace({
      key: `${key}:workspace`,
      ...common,
      workspaceId: input.workspaceId,
      name: input.name,
      roleIds: input.roleIds,
    });
    await activities.createPartnerAdmin({
      key: `${key}:admin`,
      ...common,
      workspaceId: input.workspaceId,
      roleId: input.roleIds.Admin,
      ...input.admin,
    });
    await activities.createPartnerWallets({
      key: `${key}:wallets`,
      tenantId: input.tenantId,
      workspaceId: input.workspaceId,
      partnerName: input.name,
      wallets: input.wallets,
    });
    const code = await activities.assignPartnerReferralCode({
      key: `${key}:referral-code`,
      ...common,
      codeId: input.referralCode.id,
      code: input.referralCode.code,
    });
    expect(code).toBe(partner.referralCode);
    await activities.createPartnerInvitation({
      key: `${key}:invitation`,
      tenantId: input.tenantId,
      workspaceId: input.workspaceId,
      invitationId: input.invitation.id,
      email: input.admin.email,
      roleId: input.roleIds.Admin,
      invitedBy: input.actorUserId,
      ttlMs: input.invitation.ttlMs,
    });
    await activities.activatePartner({ key: `${key}:activate`, ...common });
    expect(await snapshot()).toEqual(before);
    expect(partner.referralCode).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
  });

  it('refuses a taken admin email or referral code with 409 and bad input with 400, creating nothing', async () => {
    const tenant = await createTenant(ctx);
    const token = tenant.admin.token;
    const existing = await createPartner(ctx, tenant.tenantId);
    const count = async () =>
      Number((await rows('select count(*) as n from partner where tenant_id = ?', [tenant.tenantId]))[0].n);
    const before = await count();
    expectProblem(
      await call(ctx, 'POST', '/v1/tenant/partners', {
        token,
        body: partnerBody({ adminEmail: existing.admin.email.toUpperCase() }),
      }),
      409,
      'CONFLICT',
    );
    expectProblem(
      await call(ctx, 'POST', '/v1/tenant/partners', {
        token,
        body: partnerBody({ referralCode: existing.referralCode!.toLowerCase() }),
      }),
      409,
      'CONFLICT',
    );
    const bad = [
      partnerBody({ currencies: ['XXX'] }),
      partnerBody({ currencies: ['usd'] }),
      partnerBody({ currencies: [] }),
      partnerBody({ adminEmail: 'nope' }),
      partnerBody({ name: '' }),
      partnerBody({ referralCode: 'x' }),
      partnerBody({ extra: true }),
    ];
    for (const body of bad) {
      expectProblem(
        await call(ctx, 'POST', '/v1/tenant/partners', { token, body }),
        400,
        'VALIDATION_FAILED',
      );
    }
    expect(await count()).toBe(before);
  });

  it('lists partners newest first with keyset pagination and a status filter', async () => {
    const tenant = await createTenant(ctx);
    const created = [];
    for (let i = 0; i < 3; i++)
      created.push(await createPartner(ctx, tenant.tenantId, { name: `Listed ${i}` }));
    await rows(`update partner set status = 'SUSPENDED' where id = ?`, [created[0]!.partnerId]);
    const token = tenant.admin.token;
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await call(
        ctx,
        'GET',
        `/v1/tenant/partners?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        {
          token,
        },
      );
      expect(page.status).toBe(200);
      ids.push(...page.body.data.map((p: any) => p.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(ids).toEqual(created.map((p) => p.partnerId).reverse());
    const suspended = await call(ctx, 'GET', '/v1/tenant/partners?status=SUSPENDED', { token });
    expect(suspended.body.data.map((p: any) => p.id)).toEqual([created[0]!.partnerId]);
    const named = await call(ctx, 'GET', '/v1/tenant/partners?name=listed%202', { token });
    expect(named.body.data.map((p: any) => p.id)).toEqual([created[2]!.partnerId]);
  });
});

describe('suspend and reactivate', () => {
  it("suspends the partner and its workspace, ends its members' sessions, and reactivates", async () => {
    const tenant = await createTenant(ctx);
    const partner = await createPartner(ctx, tenant.tenantId);
    const finance = await createMember(ctx, partner, 'Finance');
    const token = tenant.admin.token;
    expect((await call(ctx, 'GET', '/v1/referral-code', { token: partner.admin.token })).status).toBe(200);

    const suspended = await call(ctx, 'POST', `/v1/tenant/partners/${partner.partnerId}/suspend`, { token });
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ id: partner.partnerId, status: 'SUSPENDED' });
    expect((await rows('select status from workspace where id = ?', [partner.workspaceId]))[0].status).toBe(
      'SUSPENDED',
    );
    expect(await rows('select id from session where workspace_id = ?', [partner.workspaceId])).toEqual([]);
    expectProblem(
      await call(ctx, 'GET', '/v1/referral-code', { token: partner.admin.token }),
      401,
      'UNAUTHENTICATED',
    );
    expectProblem(await call(ctx, 'GET', '/v1/referrals', { token: finance.token }), 401, 'UNAUTHENTICATED');
    // Suspending twice is a no-op; the tenant's own sessions are untouched.
    expect(
      (await call(ctx, 'POST', `/v1/tenant/partners/${partner.partnerId}/suspend`, { token })).status,
    ).toBe(200);

    const reactivated = await call(ctx, 'POST', `/v1/tenant/partners/${partner.partnerId}/reactivate`, {
      token,
    });
    expect(reactivated.body).toMatchObject({ status: 'ACTIVE' });
    expect((await rows('select status from workspace where id = ?', [partner.workspaceId]))[0].status).toBe(
      'ACTIVE',
    );

    const audit = await rows(
      'select action, actor_user_id, data from audit_log where tenant_id = ? and target_id = ? order by id',
      [tenant.tenantId, partner.partnerId],
    );
    expect(audit.map((a) => a.action)).toEqual(['partner.suspended', 'partner.reactivated']);
    expect(audit[0]).toMatchObject({ actor_user_id: tenant.admin.userId, data: { sessionsRevoked: 2 } });
  });

  it("answers 409 for a partner that is not live and 404 for another tenant's partner", async () => {
    const tenantA = await createTenant(ctx);
    const tenantB = await createTenant(ctx);
    const failed = await createPartner(ctx, tenantA.tenantId);
    await rows(`update partner set status = 'FAILED' where id = ?`, [failed.partnerId]);
    const token = tenantA.admin.token;
    expectProblem(
      await call(ctx, 'POST', `/v1/tenant/partners/${failed.partnerId}/suspend`, { token }),
      409,
      'CONFLICT',
    );
    expectProblem(
      await call(ctx, 'POST', `/v1/tenant/partners/${failed.partnerId}/reactivate`, { token }),
      409,
      'CONFLICT',
    );
    const foreign = await createPartner(ctx, tenantB.tenantId);
    for (const [method, path] of [
      ['GET', `/v1/tenant/partners/${foreign.partnerId}`],
      ['POST', `/v1/tenant/partners/${foreign.partnerId}/suspend`],
      ['POST', `/v1/tenant/partners/${foreign.partnerId}/reactivate`],
      ['GET', `/v1/tenant/partners/${randomUUID()}`],
    ] as const) {
      expectProblem(await call(ctx, method, path, { token }), 404, 'NOT_FOUND');
    }
    expect((await rows('select status from partner where id = ?', [foreign.partnerId]))[0].status).toBe(
      'ACTIVE',
    );
    const list = await call(ctx, 'GET', '/v1/tenant/partners', { token });
    expect(list.body.data.map((p: any) => p.id)).not.toContain(foreign.partnerId);
  });
});
