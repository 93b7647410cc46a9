import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { transferWorkflowId, type HoldOutcome } from '../../domain/transfers';
import { useTestContext } from '../helpers/context';
import { createMember, createPartnerWorkspace, createTenant } from '../helpers/factories';
import { call, expectProblem } from '../helpers/http';
import {
  balance,
  createWallet,
  deposit,
  expectLedgerConsistent,
  fundedWalletPair,
  postTransfer,
  walletTransfer,
} from '../helpers/wallets';

const ctx = useTestContext();

describe('INTERNAL transfers', () => {
  it('moves amount + fee at once: source debited, destination and fee revenue credited, flows with running balance', async () => {
    const { tenant, partner, other, source, dest } = await fundedWalletPair(ctx, 10_000);
    const fees = await call(ctx, 'PUT', '/v1/tenant/fees', {
      token: tenant.admin.token,
      body: { data: [{ channelProductCode: 'INTERNAL', currency: 'USD', fixed: 25, percentBps: 150 }] },
    });
    expect(fees.status).toBe(200);

    const res = await postTransfer(
      ctx,
      partner.admin.token,
      walletTransfer(source, dest, 2_000, { reference: 'INV-1' }),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // fee = 25 + floor(2000 * 150 / 10000) = 55
    expect(res.body).toMatchObject({
      status: 'COMPLETED',
      amount: 2_000,
      fee: 55,
      currency: 'USD',
      reference: 'INV-1',
    });
    expect(await balance(ctx, partner.admin.token, source)).toMatchObject({
      available: 7_945,
      pending: 0,
      total: 7_945,
    });
    expect(await balance(ctx, other.admin.token, dest)).toMatchObject({
      available: 2_000,
      pending: 0,
      total: 2_000,
    });

    const [fee] = await ctx.orm.em.fork().execute(
      `select sum(credits_posted)::text as credits_posted from ledger_account
          where tenant_id = ? and kind = 'FEE_REVENUE'`,
      [tenant.tenantId],
    );
    expect(fee!.credits_posted).toBe('55');

    const flows = await call(ctx, 'GET', `/v1/wallets/${source}/flows`, { token: partner.admin.token });
    expect(flows.status).toBe(200);
    expect(flows.body.data.map((f: any) => [f.direction, f.amount, f.balanceAfter, f.status])).toEqual([
      ['DEBIT', 55, 7_945, 'POSTED'],
      ['DEBIT', 2_000, 8_000, 'POSTED'],
      ['CREDIT', 10_000, 10_000, 'POSTED'],
    ]);
    expect(flows.body.data[0].transferId).toBe(res.body.id);
    const credits = await call(ctx, 'GET', `/v1/wallets/${source}/flows?direction=CREDIT&limit=1`, {
      token: partner.admin.token,
    });
    expect(credits.body.data).toHaveLength(1);
    expect(credits.body.nextCursor).toBeNull();
    const page1 = await call(ctx, 'GET', `/v1/wallets/${source}/flows?limit=2`, {
      token: partner.admin.token,
    });
    const page2 = await call(
      ctx,
      'GET',
      `/v1/wallets/${source}/flows?limit=2&cursor=${page1.body.nextCursor}`,
      {
        token: partner.admin.token,
      },
    );
    expect(page2.body.data.map((f: any) => f.amount)).toEqual([10_000]);

    const detail = await call(ctx, 'GET', `/v1/transfers/${res.body.id}`, { token: partner.admin.token });
    expect(detail.body.events.map((e: any) => e.type)).toEqual(['FUNDS_HELD', 'COMPLETED']);
    const list = await call(ctx, 'GET', `/v1/transfers?status=COMPLETED&reference=INV-1`, {
      token: partner.admin.token,
    });
    expect(list.body.data.map((t: any) => t.id)).toEqual([res.body.id]);
    const tenantList = await call(ctx, 'GET', `/v1/tenant/transfers?walletId=${dest}`, {
      token: tenant.admin.token,
    });
    expect(tenantList.body.data.map((t: any) => t.id)).toEqual([res.body.id]);
    await expectLedgerConsistent(ctx, tenant.tenantId);
  });

  it('refuses with 422 and holds nothing: insufficient funds, frozen wallet, currency mismatch, limits, channel in maintenance', async () => {
    const { tenant, partner, other, source, dest } = await fundedWalletPair(ctx, 1_000);
    const eurWallet = await createWallet(ctx, other, 'EUR');
    const token = partner.admin.token;
    expectProblem(
      await postTransfer(ctx, token, walletTransfer(source, dest, 1_001)),
      422,
      'INSUFFICIENT_FUNDS',
    );
    expectProblem(
      await postTransfer(ctx, token, { ...walletTransfer(source, dest, 10), currency: 'EUR' }),
      422,
      'CURRENCY_MISMATCH',
    );
    expectProblem(
      await postTransfer(ctx, token, walletTransfer(source, eurWallet, 10)),
      422,
      'CURRENCY_MISMATCH',
    );
    expectProblem(
      await postTransfer(ctx, token, walletTransfer(source, randomUUID(), 10)),
      422,
      'DESTINATION_NOT_FOUND',
    );

    const limits = await call(ctx, 'PATCH', `/v1/tenant/wallets/${source}`, {
      token: tenant.admin.token,
      body: { limits: { perTransfer: 300, daily: 500 } },
    });
    expect(limits.status).toBe(200);
    expect(limits.body.limits).toEqual({ perTransfer: 300, daily: 500 });
    expectProblem(await postTransfer(ctx, token, walletTransfer(source, dest, 301)), 422, 'LIMIT_EXCEEDED');
    expect((await postTransfer(ctx, token, walletTransfer(source, dest, 300))).status).toBe(201);
    expectProblem(await postTransfer(ctx, token, walletTransfer(source, dest, 201)), 422, 'LIMIT_EXCEEDED');
    expect((await postTransfer(ctx, token, walletTransfer(source, dest, 200))).status).toBe(201);
    await call(ctx, 'PATCH', `/v1/tenant/wallets/${source}`, {
      token: tenant.admin.token,
      body: { limits: { perTransfer: null, daily: null } },
    });

    const frozen = await call(ctx, 'PATCH', `/v1/tenant/wallets/${source}`, {
      token: tenant.admin.token,
      body: { status: 'FROZEN' },
    });
    expect(frozen.body.status).toBe('FROZEN');
    expectProblem(await postTransfer(ctx, token, walletTransfer(source, dest, 10)), 422, 'WALLET_NOT_ACTIVE');
    await call(ctx, 'PATCH', `/v1/tenant/wallets/${source}`, {
      token: tenant.admin.token,
      body: { status: 'ACTIVE' },
    });

    const maintenance = await call(ctx, 'PATCH', '/v1/tenant/channel-products/INTERNAL', {
      token: tenant.admin.token,
      body: { status: 'MAINTENANCE' },
    });
    expect(maintenance.status).toBe(200);
    expectProblem(
      await postTransfer(ctx, token, walletTransfer(source, dest, 10)),
      422,
      'CHANNEL_UNAVAILABLE',
    );
    const visible = await call(ctx, 'GET', '/v1/channel-products', { token });
    expect(visible.body.data.find((p: any) => p.code === 'INTERNAL').status).toBe('MAINTENANCE');

    expect(await balance(ctx, token, source)).toMatchObject({ available: 500, pending: 0, total: 500 });
    const transfers = await call(ctx, 'GET', '/v1/transfers', { token });
    expect(transfers.body.data.map((t: any) => t.amount)).toEqual([200, 300]);
    const audit = await ctx.orm.em
      .fork()
      .execute(`select action from audit_log where tenant_id = ? order by id`, [tenant.tenantId]);
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'wallet.deposit',
        'wallet.updated',
        'wallet.frozen',
        'wallet.unfrozen',
        'channel_product.updated',
      ]),
    );
    await expectLedgerConsistent(ctx, tenant.tenantId);
  });

  it('answers bad input with 400 problem+json and holds nothing', async () => {
    const { tenant, partner, source, dest } = await fundedWalletPair(ctx, 1_000);
    const otherTenant = await createTenant(ctx);
    const foreignPartner = await createPartnerWorkspace(ctx, otherTenant.tenantId);
    const foreignWallet = await createWallet(ctx, foreignPartner);
    const token = partner.admin.token;
    const bad = [
      walletTransfer(source, dest, 0),
      walletTransfer(source, dest, -5),
      walletTransfer(source, dest, 1.5),
      walletTransfer(source, dest, Number.MAX_SAFE_INTEGER + 2),
      { ...walletTransfer(source, dest, 10), amount: '10' },
      { ...walletTransfer(source, dest, 10), currency: 'XYZ' },
      { ...walletTransfer(source, dest, 10), currency: 'usd' },
      { ...walletTransfer(source, dest, 10), extra: 1 },
      walletTransfer(source, source, 10),
      { sourceWalletId: source, amount: 10, currency: 'USD' },
    ];
    for (const body of bad) expectProblem(await postTransfer(ctx, token, body), 400, 'VALIDATION_FAILED');
    expectProblem(
      await call(ctx, 'POST', '/v1/transfers', { token, body: walletTransfer(source, dest, 10) }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(await postTransfer(ctx, token, walletTransfer(foreignWallet, dest, 10)), 404, 'NOT_FOUND');
    expectProblem(
      await postTransfer(ctx, token, walletTransfer(source, foreignWallet, 10)),
      422,
      'DESTINATION_NOT_FOUND',
    );
    expectProblem(await call(ctx, 'GET', `/v1/wallets/${foreignWallet}`, { token }), 404, 'NOT_FOUND');
    expectProblem(
      await call(ctx, 'POST', `/v1/tenant/wallets/${foreignWallet}/deposits`, {
        token: tenant.admin.token,
        headers: { 'idempotency-key': randomUUID() },
        body: { amount: 5 },
      }),
      404,
      'NOT_FOUND',
    );
    const finance = await createMember(ctx, partner, 'Customer Service');
    expectProblem(await postTransfer(ctx, finance.token, walletTransfer(source, dest, 10)), 403, 'FORBIDDEN');
    expectProblem(await call(ctx, 'GET', '/v1/tenant/fees', { token }), 403, 'FORBIDDEN');
    expect(await balance(ctx, token, source)).toMatchObject({ available: 1_000, pending: 0 });
    expect((await call(ctx, 'GET', '/v1/transfers', { token })).body.data).toEqual([]);
    await expectLedgerConsistent(ctx, tenant.tenantId);
  });
});

describe('one self-transfer rule', () => {
  it('the workflow path refuses a self-transfer with the same VALIDATION_FAILED the route answers, holding nothing', async () => {
    const { tenant, partner, source } = await fundedWalletPair(ctx, 1_000);
    const transferId = randomUUID();
    const outcome = await ctx.temporal.workflow.execute('executeTransferWorkflow', {
      taskQueue: ctx.taskQueue,
      workflowId: transferWorkflowId(transferId),
      args: [
        {
          request: {
            transferId,
            tenantId: tenant.tenantId,
            workspaceId: partner.workspaceId,
            actorUserId: null,
            sourceWalletId: source,
            amount: '10',
            currency: 'USD',
            destination: { type: 'WALLET', walletId: source },
            reference: null,
            memo: null,
            idempotencyKey: 'direct',
          },
          confirmTimeoutMs: 60_000,
        },
      ],
    });
    expect(outcome as HoldOutcome).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
    expectProblem(
      await postTransfer(ctx, partner.admin.token, walletTransfer(source, source, 10)),
      400,
      'VALIDATION_FAILED',
    );
    expect(await balance(ctx, partner.admin.token, source)).toMatchObject({ available: 1_000, pending: 0 });
    const rows = await ctx.orm.em
      .fork()
      .execute('select id from transfer where source_wallet_id = ?', [source]);
    expect(rows).toEqual([]);
  });
});

describe('idempotency', () => {
  it('the same POST sent 10 times at once moves money once and answers one transfer', async () => {
    const { tenant, partner, source, dest } = await fundedWalletPair(ctx, 5_000);
    const key = randomUUID();
    const body = walletTransfer(source, dest, 1_234);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => postTransfer(ctx, partner.admin.token, body, key)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    const again = await postTransfer(ctx, partner.admin.token, body, key);
    expect(again.body.id).toBe(answers[0]!.body.id);
    expectProblem(
      await postTransfer(ctx, partner.admin.token, { ...body, amount: 1_235 }, key),
      409,
      'IDEMPOTENCY_KEY_REUSED',
    );
    expect(await balance(ctx, partner.admin.token, source)).toMatchObject({ available: 5_000 - 1_234 });
    expect((await call(ctx, 'GET', '/v1/transfers', { token: partner.admin.token })).body.data).toHaveLength(
      1,
    );
    await expectLedgerConsistent(ctx, tenant.tenantId);
  });

  it('a refused request answers the same refusal when repeated, and deposits are idempotent too', async () => {
    const { tenant, partner, source, dest } = await fundedWalletPair(ctx, 100);
    const key = randomUUID();
    const body = walletTransfer(source, dest, 500);
    expectProblem(await postTransfer(ctx, partner.admin.token, body, key), 422, 'INSUFFICIENT_FUNDS');
    await deposit(ctx, tenant, source, 1_000);
    expectProblem(await postTransfer(ctx, partner.admin.token, body, key), 422, 'INSUFFICIENT_FUNDS');

    const depositKey = randomUUID();
    const send = (amount: number) =>
      call(ctx, 'POST', `/v1/tenant/wallets/${source}/deposits`, {
        token: tenant.admin.token,
        headers: { 'idempotency-key': depositKey },
        body: { amount, reference: 'wire 42' },
      });
    const deposits = await Promise.all(Array.from({ length: 5 }, () => send(700)));
    expect(deposits.map((d) => d.status)).toEqual(Array(5).fill(201));
    expect(new Set(deposits.map((d) => d.body.id)).size).toBe(1);
    expect(deposits[0]!.body).toMatchObject({ walletId: source, amount: 700, currency: 'USD' });
    expectProblem(await send(701), 409, 'IDEMPOTENCY_KEY_REUSED');
    expectProblem(
      await call(ctx, 'POST', `/v1/tenant/wallets/${source}/deposits`, {
        token: tenant.admin.token,
        body: { amount: 1 },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expect(await balance(ctx, partner.admin.token, source)).toMatchObject({ available: 1_800 });
    await expectLedgerConsistent(ctx, tenant.tenantId);
  });
});

describe('tenant configuration', () => {
  it('creates and changes channel products and fees, with audit rows; a suspended partner cannot transfer', async () => {
    const { tenant, partner, source, dest } = await fundedWalletPair(ctx, 1_000);
    const token = tenant.admin.token;
    const created = await call(ctx, 'POST', '/v1/tenant/channel-products', {
      token,
      body: {
        code: 'FAST_PAY',
        name: 'Fast pay',
        type: 'BANK_PAYOUT',
        currencies: ['USD'],
        minAmount: 100,
        maxAmount: 50,
      },
    });
    expectProblem(created, 400, 'VALIDATION_FAILED');
    const ok = await call(ctx, 'POST', '/v1/tenant/channel-products', {
      token,
      body: { code: 'FAST_PAY', name: 'Fast pay', type: 'BANK_PAYOUT', currencies: ['USD'], minAmount: 100 },
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      code: 'FAST_PAY',
      status: 'ACTIVE',
      minAmount: 100,
      maxAmount: null,
      fee: { fixed: 0, percentBps: 0 },
    });
    expectProblem(
      await call(ctx, 'POST', '/v1/tenant/channel-products', {
        token,
        body: { code: 'FAST_PAY', name: 'Again', type: 'BANK_PAYOUT', currencies: [] },
      }),
      409,
      'CONFLICT',
    );
    expectProblem(
      await call(ctx, 'PUT', '/v1/tenant/fees', {
        token,
        body: { data: [{ channelProductCode: 'NOPE', currency: 'USD', fixed: 1, percentBps: 0 }] },
      }),
      400,
      'VALIDATION_FAILED',
    );
    await call(ctx, 'PUT', '/v1/tenant/fees', {
      token,
      body: { data: [{ channelProductCode: 'FAST_PAY', currency: 'USD', fixed: 5, percentBps: 20 }] },
    });
    expect((await call(ctx, 'GET', '/v1/tenant/fees', { token })).body.data).toEqual([
      { channelProductCode: 'FAST_PAY', currency: 'USD', fixed: 5, percentBps: 20 },
    ]);
    await call(ctx, 'PATCH', '/v1/tenant/channel-products/FAST_PAY', { token, body: { status: 'DISABLED' } });
    const partnerView = await call(ctx, 'GET', '/v1/channel-products', { token: partner.admin.token });
    expect(partnerView.body.data.map((p: any) => p.code)).toEqual(['INTERNAL', 'SANDBOX_BANK']);
    const all = await call(ctx, 'GET', '/v1/tenant/channel-products', { token });
    expect(all.body.data.find((p: any) => p.code === 'FAST_PAY')).toMatchObject({
      status: 'DISABLED',
      fee: { fixed: 5, percentBps: 20 },
    });
    expectProblem(
      await call(ctx, 'GET', '/v1/tenant/channel-products', { token: partner.admin.token }),
      403,
      'FORBIDDEN',
    );
    const audit = await ctx.orm.em
      .fork()
      .execute(`select action from audit_log where tenant_id = ?`, [tenant.tenantId]);
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['channel_product.created', 'channel_product.updated', 'fees.updated']),
    );

    const done = await postTransfer(ctx, partner.admin.token, walletTransfer(source, dest, 10));
    expectProblem(
      await call(ctx, 'POST', `/v1/transfers/${done.body.id}/cancel`, { token: partner.admin.token }),
      409,
      'TRANSFER_NOT_CANCELLABLE',
    );
    await ctx.orm.em
      .fork()
      .execute(`update workspace set status = 'SUSPENDED' where id = ?`, [partner.workspaceId]);
    expectProblem(
      await postTransfer(ctx, partner.admin.token, walletTransfer(source, dest, 10)),
      401,
      'UNAUTHENTICATED',
    );
    await expectLedgerConsistent(ctx, tenant.tenantId);
  });
});

describe('OpenAPI', () => {
  it('documents the wallet, transfer, channel and fee routes', async () => {
    const res = await call(ctx, 'GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/wallets/{id}/flows',
        '/v1/transfers/{id}/cancel',
        '/v1/tenant/wallets/{id}/deposits',
        '/v1/tenant/fees',
        '/v1/channels/sandbox-bank/callbacks',
      ]),
    );
  });
});
