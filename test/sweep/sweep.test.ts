// The generated input sweep (issue 11): from /openapi.json, every route gets wrong types, missing and extra
// fields, NUL and unicode edge cases, huge numbers, deep nesting, wrong content types, bad cursors, dates and
// path IDs (malformed, unknown, another tenant's). Every answer must be a 4xx problem+json carrying its request
// ID, within 5 s, and the database must be exactly as before (refused requests write nothing).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PermissionKey } from '../../domain/permissions';
import { useTestContext } from '../helpers/context';
import { createTenant } from '../helpers/factories';
import { createPartner } from '../helpers/partners';
import { createWallet } from '../helpers/wallets';
import {
  fillPath,
  invalidQueryValues,
  invalidValues,
  nested,
  operations,
  resolver,
  validValue,
  type Operation,
  type Schema,
} from './openapi-cases';
import { changedTables, snapshot, useOwnDatabase } from './snapshot';

const env: Record<string, string> = {};
useOwnDatabase(env);
const ctx = useTestContext({ worker: false, env });

const SLOW_MS = 5_000;
const CONCURRENCY = 6;
/** Permissions a partner workspace exercises; every other route is swept as the tenant admin. */
const PARTNER_PERMISSIONS = new Set<string>([
  'balance.view',
  'payment.view',
  'payout.view',
  'payout.create',
  'payout.cancel',
  'referral.view',
]);

/**
 * Fields whose items are validated one by one and reported per item, by design (a bulk onboarding batch
 * accepts bad rows and marks them FAILED with reasons): item mutations there are not refused requests.
 */
const PER_ITEM_VALIDATED = new Set(['POST /v1/tenant/onboarding-batches rows']);

/** Every property path of a body schema (nested objects and the first variant of a union, 3 levels deep). */
function fieldsOf(
  schema: Schema,
  resolve: (s: Schema) => Schema,
  prefix: string[] = [],
): [string[], Schema][] {
  const out: [string[], Schema][] = [];
  if (prefix.length >= 3) return out;
  for (const [name, raw] of Object.entries<Schema>(schema.properties ?? {})) {
    const prop = resolve(raw);
    out.push([[...prefix, name], prop]);
    const inner = prop.type === 'object' ? prop : prop.oneOf?.[0] ? resolve(prop.oneOf[0]) : null;
    if (inner?.properties) out.push(...fieldsOf(inner, resolve, [...prefix, name]));
  }
  return out;
}

/** A copy of `base` with `value` at `path` (intermediate objects created as needed). */
function setIn(base: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(base ?? {}) as Record<string, any>;
  let target = copy;
  for (const key of path.slice(0, -1)) {
    if (!target[key] || typeof target[key] !== 'object') target[key] = {};
    target = target[key];
  }
  target[path[path.length - 1]!] = value;
  return copy;
}

interface Case {
  label: string;
  path: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

interface Actors {
  tenantToken: string;
  partnerToken: string;
  platformToken: string;
  /** IDs another tenant owns (and, for the partner, another partner's): each must answer 404. */
  foreignIdsForTenant: string[];
  foreignIdsForPartner: string[];
}

function tokenFor(op: Operation, actors: Actors): string | null {
  if (op.access === 'public') return null;
  if (op.access === 'platform') return actors.platformToken;
  return PARTNER_PERMISSIONS.has(op.access as PermissionKey) ? actors.partnerToken : actors.tenantToken;
}

/** Builds every case of one operation; each case is invalid in exactly one way. */
function casesFor(op: Operation, doc: Schema, actors: Actors): Case[] {
  const resolve = resolver(doc);
  const token = tokenFor(op, actors);
  const baseHeaders: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  for (const h of op.headerParams) {
    if (h.required)
      baseHeaders[h.name] =
        h.name === 'idempotency-key' ? randomUUID() : String(validValue(h.schema, resolve));
  }
  const baseParams = Object.fromEntries(
    op.pathParams.map((p) => [
      p.name,
      p.schema.format === 'uuid' ? randomUUID() : `SWEEP_${randomUUID().slice(0, 8)}`,
    ]),
  );
  const basePath = fillPath(op.path, baseParams);
  const validBody = op.body ? validValue(op.body, resolve) : undefined;
  const jsonHeaders = { ...baseHeaders, 'content-type': 'application/json' };
  const make = (label: string, over: Partial<Case>): Case => ({
    label: `${op.method} ${op.path} ${label}`,
    path: basePath,
    method: op.method,
    headers: op.body ? jsonHeaders : baseHeaders,
    body: op.body ? JSON.stringify(validBody) : undefined,
    ...over,
  });
  const cases: Case[] = [];

  // Any route: an unknown query parameter carrying a NUL is refused centrally.
  for (const query of ['sweep=%00', '%00=1', 'sweep=a%00b', 'sweep=x&sweep=%00']) {
    cases.push(make(`unknown query ${query}`, { path: `${basePath}?${query}` }));
  }

  // Path IDs: malformed, unknown, another tenant's or workspace's.
  const foreign = token === actors.partnerToken ? actors.foreignIdsForPartner : actors.foreignIdsForTenant;
  for (const param of op.pathParams) {
    const values = [
      'not-a-uuid',
      '1',
      '-1',
      '%00',
      'x%00y',
      encodeURIComponent('\u202eevil'),
      encodeURIComponent('😀'),
      'a'.repeat(300),
      '%ED%A0%80',
      '..%2F..',
      `${randomUUID()}x`,
    ];
    if (param.schema.format === 'uuid') values.push(randomUUID(), ...foreign);
    for (const value of values) {
      const path = fillPath(op.path, { ...baseParams, [param.name]: value });
      cases.push(make(`path ${param.name}=${value.slice(0, 40)}`, { path }));
    }
  }

  // Query parameters: values each parameter refuses.
  for (const q of op.queryParams) {
    for (const value of invalidQueryValues(q.name, q.schema)) {
      cases.push(
        make(`query ${q.name}=${JSON.stringify(value).slice(0, 40)}`, {
          path: `${basePath}?${q.name}=${encodeURIComponent(value)}`,
        }),
      );
    }
  }

  // Headers the route requires: missing or malformed.
  for (const h of op.headerParams.filter((p) => p.required)) {
    const without: Record<string, string> = { ...(op.body ? jsonHeaders : baseHeaders) };
    delete without[h.name];
    cases.push(make(`header ${h.name} missing`, { headers: without }));
    for (const value of ['', ' ', 'é', 'x'.repeat(1000), 'a b']) {
      cases.push(
        make(`header ${h.name}=${value.slice(0, 20)}`, {
          headers: { ...(op.body ? jsonHeaders : baseHeaders), [h.name]: value },
        }),
      );
    }
  }

  // Bodies every unsafe route refuses before any schema: NUL strings and deep nesting.
  if (op.method !== 'GET') {
    const guarded = { ...baseHeaders, 'content-type': 'application/json' };
    cases.push(
      make('body deep array', { headers: guarded, body: '['.repeat(100_000) + ']'.repeat(100_000) }),
    );
    cases.push(
      make('body deep object', {
        headers: guarded,
        body: `{"a":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`,
      }),
    );
    cases.push(make('body nested 40', { headers: guarded, body: JSON.stringify({ a: nested(40) }) }));
    cases.push(make('body NUL key', { headers: guarded, body: JSON.stringify({ ['k\u0000']: 1 }) }));
    cases.push(make('body lone surrogate', { headers: guarded, body: JSON.stringify({ k: '\ud800' }) }));
    cases.push(
      make('text body NUL', { headers: { ...baseHeaders, 'content-type': 'text/plain' }, body: 'a\u0000b' }),
    );
  }
  if (!op.body) return cases;

  // Wrong content types and malformed JSON.
  for (const type of [
    'text/plain',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/octet-stream',
    'application/jsonx',
    'text/json',
  ]) {
    cases.push(make(`content-type ${type}`, { headers: { ...baseHeaders, 'content-type': type } }));
  }
  cases.push(make('no content-type', { headers: baseHeaders }));
  const valid = JSON.stringify(validBody);
  const malformed = [
    '',
    '{',
    '{"a":}',
    'null',
    '[]',
    '"x"',
    '0',
    'true',
    '1e999',
    'NaN',
    '{"a":1,}',
    "{'a':1}",
  ];
  malformed.push(
    '\u0000',
    '\ufeff{}',
    '[{}]',
    '[[]]',
    '{}{}',
    '{"a":1}garbage',
    'undefined',
    '{"a":"\\x00"}',
  );
  malformed.push('"\\u0000"', valid.slice(0, -1), `[${valid}]`, valid + valid, `${valid}\u0000`);
  for (const raw of malformed) {
    cases.push(make(`malformed ${JSON.stringify(raw)}`, { body: raw }));
  }

  // Field by field: missing, extra, wrong and edge values (one at a time, the rest valid).
  const body = op.body;
  const base = (validBody ?? {}) as Record<string, unknown>;
  for (const name of body.required ?? []) {
    const { [name]: _, ...rest } = base;
    cases.push(make(`missing ${name}`, { body: JSON.stringify(rest) }));
  }
  if (body.additionalProperties === false) {
    for (const extra of ['sweepExtra', '__proto__', 'constructor', 'k\u0000', '']) {
      cases.push(make(`extra ${JSON.stringify(extra)}`, { body: JSON.stringify({ ...base, [extra]: 1 }) }));
    }
  }
  for (const [path, propSchema] of fieldsOf(body, resolve)) {
    const label = path.join('.');
    if (PER_ITEM_VALIDATED.has(`${op.method} ${op.path} ${label}`)) continue;
    for (const value of invalidValues(propSchema, resolve)) {
      const mutated = JSON.stringify(setIn(base, path, value));
      cases.push(make(`${label}=${JSON.stringify(value)?.slice(0, 40)}`, { body: mutated }));
    }
    const marker = JSON.stringify(setIn(base, path, '__DEEP__'));
    cases.push(
      make(`${label} nested 100000`, {
        body: marker.replace('"__DEEP__"', '['.repeat(100_000) + ']'.repeat(100_000)),
      }),
    );
  }
  return cases;
}

interface Outcome {
  label: string;
  status: number;
  ms: number;
  problem: boolean;
  requestId: boolean;
}

async function run(c: Case): Promise<Outcome> {
  const started = performance.now();
  const res = await ctx.app.request(c.path, { method: c.method, headers: c.headers, body: c.body });
  const text = await res.text();
  const ms = performance.now() - started;
  let parsed: { requestId?: string } | null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  const header = res.headers.get('x-request-id');
  return {
    label: c.label,
    status: res.status,
    ms,
    problem: (res.headers.get('content-type') ?? '').includes('application/problem+json'),
    requestId: Boolean(header) && parsed?.requestId === header,
  };
}

async function runAll(cases: Case[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < cases.length) outcomes.push(await run(cases[next++]!));
    }),
  );
  return outcomes;
}

describe('the generated input sweep', () => {
  it('answers every bad request with a 4xx problem+json and its request ID, within 5 s, writing nothing', async () => {
    const tenant = await createTenant(ctx);
    const partner = await createPartner(ctx, tenant.tenantId);
    await createWallet(ctx, partner);
    const otherPartner = await createPartner(ctx, tenant.tenantId);
    const otherWallet = await createWallet(ctx, otherPartner);
    const foreignTenant = await createTenant(ctx);
    const foreignPartner = await createPartner(ctx, foreignTenant.tenantId);
    const foreignWallet = await createWallet(ctx, foreignPartner);
    const foreignIds = [
      foreignTenant.tenantId,
      foreignTenant.workspaceId,
      foreignTenant.admin.userId,
      foreignTenant.roles.Admin!,
      foreignPartner.partnerId,
      foreignPartner.referralCodeId!,
      foreignPartner.admin.userId,
      foreignWallet,
    ];
    const actors: Actors = {
      tenantToken: tenant.admin.token,
      partnerToken: partner.admin.token,
      platformToken: ctx.config.PLATFORM_ADMIN_TOKEN!,
      foreignIdsForTenant: foreignIds,
      foreignIdsForPartner: [
        ...foreignIds,
        otherWallet,
        otherPartner.admin.userId,
        otherPartner.roles.Admin!,
      ],
    };

    const doc = (await (await ctx.app.request('/openapi.json')).json()) as Schema;
    const ops = operations(doc);
    const cases = ops.flatMap((op) => casesFor(op, doc, actors));
    const before = await snapshot(ctx.orm);
    const outcomes = await runAll(cases);
    const after = await snapshot(ctx.orm);

    const fiveHundreds = outcomes.filter((o) => o.status >= 500);
    const notClientError = outcomes.filter((o) => o.status < 400 || o.status >= 500);
    const notProblem = outcomes.filter((o) => !o.problem || !o.requestId);
    const slow = outcomes.filter((o) => o.ms > SLOW_MS);
    const changed = changedTables(before, after);
    const routes = new Set(cases.map((c) => c.label.split(' ').slice(0, 2).join(' ')));
    console.log(
      `[sweep] ${outcomes.length} requests over ${routes.size} of ${ops.length} routes: ` +
        `${fiveHundreds.length} 5xx, ${notClientError.length} not 4xx, ${notProblem.length} without problem+json or request ID, ` +
        `${slow.length} over ${SLOW_MS} ms, ${changed.length} tables changed`,
    );
    const show = (list: Outcome[]) =>
      list.slice(0, 30).map((o) => `${o.status} ${Math.round(o.ms)}ms ${o.label}`);
    expect(show(notClientError)).toEqual([]);
    expect(show(notProblem)).toEqual([]);
    expect(show(slow)).toEqual([]);
    expect(changed).toEqual([]);
    expect(routes.size).toBe(ops.length);
    expect(outcomes.length).toBeGreaterThanOrEqual(5_000);
  }, 600_000);
});
