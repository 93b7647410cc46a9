// Each input-hardening finding of issue 11, reproduced over HTTP: every bad input is a 4xx problem+json with
// its request ID, never a 500, and nothing is written.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context';
import { createPartnerWorkspace, createTenant } from '../helpers/factories';
import { call, type CallResult } from '../helpers/http';
import { createWallet, deposit, fundedWalletPair, postTransfer, walletTransfer } from '../helpers/wallets';

const ctx = useTestContext();
const MAX = Number.MAX_SAFE_INTEGER;

function expectRefused(res: CallResult, status: number, code?: string) {
  const summary = `${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
  expect(res.status, summary).toBe(status);
  if (code) expect(res.body?.code, summary).toBe(code);
  expect(res.headers.get('content-type'), summary).toContain('application/problem+json');
  expect(res.headers.get('x-request-id'), summary).toBeTruthy();
  expect(res.body?.requestId, summary).toBe(res.headers.get('x-request-id'));
}

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { k: value };
  return value;
}

const cursorOf = (createdAt: unknown, id: unknown) =>
  Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');

describe('content types', () => {
  it('a body with a non-JSON content type is 415 UNSUPPORTED_MEDIA_TYPE, not 500', async () => {
    const tenant = await createTenant(ctx);
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
      const res = await call(ctx, 'PATCH', '/v1/workspace', {
        token: tenant.admin.token,
        headers: { 'content-type': type },
        rawBody: 'name=x',
      });
      expectRefused(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('a missing content type with a body is 415 too', async () => {
    const tenant = await createTenant(ctx);
    const res = await call(ctx, 'PATCH', '/v1/workspace', {
      token: tenant.admin.token,
      rawBody: new TextEncoder().encode('{"name":"x"}'),
    });
    expectRefused(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('pagination cursors', () => {
  it.each([
    ['year 0000', cursorOf('0000-01-01T00:00:00.000Z', randomUUID())],
    ['a date only V8 understands', cursorOf('1 2', randomUUID())],
    ['year 275760', cursorOf('+275760-09-13T00:00:00.000Z', randomUUID())],
    ['a non-UUID id', cursorOf('2026-01-01T00:00:00.000Z', 'x\u0000')],
  ])('a hand-made cursor with %s is 400 VALIDATION_FAILED', async (_, cursor) => {
    const tenant = await createTenant(ctx);
    const partner = await createPartnerWorkspace(ctx, tenant.tenantId);
    for (const path of ['/v1/transfers', '/v1/tenant/transfers', '/v1/workspace/members']) {
      const token = path.startsWith('/v1/tenant') ? tenant.admin.token : partner.admin.token;
      const res = await call(ctx, 'GET', `${path}?cursor=${cursor}`, { token });
      expectRefused(res, 400, 'VALIDATION_FAILED');
    }
  });
});

describe('NUL bytes and lone surrogates', () => {
  it.each([
    ['a NUL in a body string', { name: 'a\u0000b' }],
    ['a lone surrogate in a body string', { name: 'a\ud800b' }],
    ['a NUL in a nested settings value', { settings: { note: 'x\u0000' } }],
    ['a NUL in a settings key', { settings: { 'k\u0000': 1 } }],
    ['a lone low surrogate in a settings key', { settings: { '\udc00': 1 } }],
  ])('%s is 400 and nothing changes', async (_, body) => {
    const tenant = await createTenant(ctx);
    const before = await call(ctx, 'GET', '/v1/workspace', { token: tenant.admin.token });
    const res = await call(ctx, 'PATCH', '/v1/workspace', { token: tenant.admin.token, body });
    expectRefused(res, 400, 'VALIDATION_FAILED');
    const after = await call(ctx, 'GET', '/v1/workspace', { token: tenant.admin.token });
    expect(after.body).toEqual(before.body);
  });

  it('a NUL in a query value or name is 400', async () => {
    const tenant = await createTenant(ctx);
    const partner = await createPartnerWorkspace(ctx, tenant.tenantId);
    for (const q of ['reference=%00', 'reference=a%00b', 'status=COMPLETED%00', '%00=1']) {
      const res = await call(ctx, 'GET', `/v1/transfers?${q}`, { token: partner.admin.token });
      expectRefused(res, 400, 'VALIDATION_FAILED');
    }
  });

  it('a NUL in a path parameter is 400, never 500', async () => {
    const tenant = await createTenant(ctx);
    const res = await call(ctx, 'PATCH', '/v1/tenant/channel-products/SANDBOX%00BANK', {
      token: tenant.admin.token,
      body: { enabled: false },
    });
    expectRefused(res, 400, 'VALIDATION_FAILED');
  });

  it('a NUL in a transfer memo is refused at once and no transfer exists', async () => {
    const { partner, source, dest } = await fundedWalletPair(ctx, 1_000);
    for (const extra of [{ memo: 'm\u0000' }, { reference: 'r\u0000' }]) {
      const res = await postTransfer(ctx, partner.admin.token, walletTransfer(source, dest, 10, extra));
      expectRefused(res, 400, 'VALIDATION_FAILED');
    }
    const list = await call(ctx, 'GET', '/v1/transfers', { token: partner.admin.token });
    expect(list.body.data).toEqual([]);
  });

  it("a NUL in a tenant's name is refused before any workflow starts", async () => {
    const res = await call(ctx, 'POST', '/v1/platform/tenants', {
      token: ctx.config.PLATFORM_ADMIN_TOKEN!,
      body: {
        name: 'Bank\u0000',
        adminEmail: `nul-${randomUUID()}@example.test`,
        adminName: 'A',
        adminPassword: 'a long enough password 123',
      },
    });
    expectRefused(res, 400, 'VALIDATION_FAILED');
  });
});

describe('date filters', () => {
  it.each([
    '0000-01-01T00:00:00Z',
    '-000001-01-01T00:00:00Z',
    '+275760-09-13T00:00:00Z',
    '9999-12-31T23:59:60Z',
  ])('from=%s is 400 on every dated list', async (date) => {
    const tenant = await createTenant(ctx);
    const partner = await createPartnerWorkspace(ctx, tenant.tenantId);
    const wallet = await createWallet(ctx, partner);
    const q = `from=${encodeURIComponent(date)}`;
    for (const [path, token] of [
      [`/v1/transfers?${q}`, partner.admin.token],
      [`/v1/tenant/transfers?${q}`, tenant.admin.token],
      [`/v1/tenant/audit-log?${q}`, tenant.admin.token],
      [`/v1/wallets/${wallet}/flows?${q}`, partner.admin.token],
    ] as const) {
      expectRefused(await call(ctx, 'GET', path, { token }), 400, 'VALIDATION_FAILED');
    }
  });
});

describe('deeply nested JSON', () => {
  it('workspace settings nested 100,000 deep are 400, not a stack overflow', async () => {
    const tenant = await createTenant(ctx);
    const res = await call(ctx, 'PATCH', '/v1/workspace', {
      token: tenant.admin.token,
      rawBody: `{"settings":{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`,
      headers: { 'content-type': 'application/json' },
    });
    expectRefused(res, 400, 'VALIDATION_FAILED');
  });

  it('settings nested 64 deep (small) are 400 as well', async () => {
    const tenant = await createTenant(ctx);
    const res = await call(ctx, 'PATCH', '/v1/workspace', {
      token: tenant.admin.token,
      body: { settings: { a: nested(64) } },
    });
    expectRefused(res, 400, 'VALIDATION_FAILED');
  });

  it('onboarding rows nested 100,000 deep are 400 and no batch is created', async () => {
    const tenant = await createTenant(ctx);
    const res = await call(ctx, 'POST', '/v1/tenant/onboarding-batches', {
      token: tenant.admin.token,
      rawBody: `{"rows":[${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}]}`,
      headers: { 'content-type': 'application/json' },
    });
    expectRefused(res, 400, 'VALIDATION_FAILED');
    const [row] = await ctx.orm.em
      .fork()
      .execute<{ n: string }[]>('select count(*) as n from onboarding_batch where tenant_id = ?', [
        tenant.tenantId,
      ]);
    expect(Number(row!.n)).toBe(0);
  });
});

describe('balances at the edge of 2^53-1', () => {
  it('a deposit that would take a balance over 2^53-1 is 422 LIMIT_EXCEEDED and reads stay 200', async () => {
    const tenant = await createTenant(ctx);
    const partner = await createPartnerWorkspace(ctx, tenant.tenantId);
    const wallet = await createWallet(ctx, partner);
    await deposit(ctx, tenant, wallet, MAX);
    const second = await call(ctx, 'POST', `/v1/tenant/wallets/${wallet}/deposits`, {
      token: tenant.admin.token,
      headers: { 'idempotency-key': randomUUID() },
      body: { amount: MAX },
    });
    expectRefused(second, 422, 'LIMIT_EXCEEDED');
    for (const path of [
      `/v1/wallets/${wallet}`,
      `/v1/wallets/${wallet}/balance`,
      `/v1/wallets/${wallet}/flows`,
    ]) {
      const res = await call(ctx, 'GET', path, { token: partner.admin.token });
      expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(200);
    }
    const balance = await call(ctx, 'GET', `/v1/wallets/${wallet}/balance`, { token: partner.admin.token });
    expect(balance.body.available).toBe(MAX);
  });
});
