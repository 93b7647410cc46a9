// The authorization matrix, generated from the route table (each route's declared access) over 8 actor kinds:
// anonymous and a disabled member 401 everywhere; a role without the route's permission 403; another tenant's
// or another workspace's resource 404 (a 2xx there is a leak); an allowed actor on its own resource never
// 401/403/404.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SYSTEM_ROLES, type PermissionKey, type WorkspaceKind } from '../../domain/permissions';
import { useTestContext } from '../helpers/context';
import { createMember, createTenant, type WorkspaceFixture } from '../helpers/factories';
import { createPartner, type PartnerFixture } from '../helpers/partners';
import { createWallet, deposit, postTransfer, waitForTransfer, walletTransfer } from '../helpers/wallets';
import { fillPath, operations, resolver, validValue, type Operation, type Schema } from './openapi-cases';

const ctx = useTestContext();

/** What a path parameter refers to, by route prefix, and whether the route sees the whole tenant. */
const RESOURCE_KINDS: [prefix: string, kind: Kind, scope: 'workspace' | 'tenant'][] = [
  ['/v1/wallets/{id}', 'wallet', 'workspace'],
  ['/v1/tenant/wallets/{id}', 'wallet', 'tenant'],
  ['/v1/transfers/{id}', 'transfer', 'workspace'],
  ['/v1/workspace/members/{userId}', 'user', 'workspace'],
  ['/v1/workspace/roles/{roleId}', 'role', 'workspace'],
  ['/v1/tenant/partners/{id}', 'partner', 'tenant'],
  ['/v1/tenant/referral-codes/{id}', 'referralCode', 'tenant'],
];
/**
 * A partner's own resource: a tenant workspace holds the permission (its Admin holds every key) but has no
 * such resource, so its answer is a correct 404, not an authorization failure.
 */
const PARTNER_RESOURCES = new Set(['GET /v1/referral-code']);

type Kind = 'wallet' | 'transfer' | 'user' | 'role' | 'partner' | 'referralCode';

interface Resource {
  kind: Kind;
  id: string;
  workspaceId: string;
  tenantId: string;
}

interface Actor {
  name: string;
  token: string | null;
  workspaceId: string;
  tenantId: string;
  kind: WorkspaceKind | null;
  permissions: Set<string>;
  /** Expected 401 on every route (anonymous, disabled member). */
  unauthenticated: boolean;
}

function actorOf(
  name: string,
  ws: WorkspaceFixture,
  role: string,
  token: string,
  kind: WorkspaceKind,
): Actor {
  const def = SYSTEM_ROLES.find((r) => r.name === role)!;
  return {
    name,
    token,
    workspaceId: ws.workspaceId,
    tenantId: ws.tenantId,
    kind,
    permissions: new Set(def.permissions(kind)),
    unauthenticated: false,
  };
}

const allows = (actor: Actor, op: Operation) =>
  !actor.unauthenticated && (op.access === 'member' || actor.permissions.has(op.access as PermissionKey));

function kindOf(op: Operation) {
  return RESOURCE_KINDS.find(([prefix]) => op.path === prefix || op.path.startsWith(`${prefix}/`));
}

const inScope = (r: Resource, a: Actor, scope: 'workspace' | 'tenant') =>
  scope === 'tenant' ? r.tenantId === a.tenantId : r.workspaceId === a.workspaceId;

interface Result {
  actor: string;
  check: 'anonymous' | 'disabled' | 'forbidden' | 'foreign' | 'own';
  route: string;
  status: number;
  expected: string;
}

async function send(op: Operation, actor: Actor, path: string, body: unknown): Promise<number> {
  const headers: Record<string, string> = { 'idempotency-key': randomUUID() };
  if (actor.token) headers.authorization = `Bearer ${actor.token}`;
  let payload: string | undefined;
  if (op.body) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await ctx.app.request(path, { method: op.method, headers, body: payload });
  await res.arrayBuffer();
  return res.status;
}

describe('the authorization matrix', () => {
  it('401 for anonymous and disabled, 403 without the permission, 404 across tenants and workspaces, 0 leaks', async () => {
    const tenant = await createTenant(ctx);
    const p1 = await createPartner(ctx, tenant.tenantId);
    const p2 = await createPartner(ctx, tenant.tenantId);
    const other = await createTenant(ctx);
    const p3 = await createPartner(ctx, other.tenantId);
    const finance = await createMember(ctx, tenant, 'Finance');
    const support = await createMember(ctx, p1, 'Customer Service');
    const disabled = await createMember(ctx, tenant, 'Admin');
    await ctx.orm.em
      .fork()
      .execute(`update membership set status = 'DISABLED' where id = ?`, [disabled.membershipId]);

    const wallets = new Map<WorkspaceFixture, string>();
    for (const ws of [tenant, p1, p2, other, p3]) wallets.set(ws, await createWallet(ctx, ws));
    await deposit(ctx, tenant, wallets.get(p1)!, 1_000);
    const transfer = await postTransfer(
      ctx,
      p1.admin.token,
      walletTransfer(wallets.get(p1)!, wallets.get(p2)!, 10),
    );
    expect(transfer.status).toBe(201);
    await waitForTransfer(ctx, p1.admin.token, transfer.body.id);

    const resources: Resource[] = [];
    const add = (kind: Kind, id: string, ws: WorkspaceFixture) =>
      resources.push({ kind, id, workspaceId: ws.workspaceId, tenantId: ws.tenantId });
    for (const [ws, wallet] of wallets) add('wallet', wallet, ws);
    add('transfer', transfer.body.id, p1);
    for (const ws of [tenant, p1, p2, other, p3]) {
      add('user', ws.admin.userId, ws);
      add('role', ws.roles.Finance!, ws);
    }
    add('user', finance.userId, tenant);
    add('user', support.userId, p1);
    for (const p of [p1, p2, p3] as PartnerFixture[]) {
      add('partner', p.partnerId, p);
      add('referralCode', p.referralCodeId!, p);
    }

    const actors: Actor[] = [
      {
        name: 'anonymous',
        token: null,
        workspaceId: '',
        tenantId: '',
        kind: null,
        permissions: new Set(),
        unauthenticated: true,
      },
      actorOf('tenant admin', tenant, 'Admin', tenant.admin.token, 'TENANT'),
      actorOf('tenant Finance', tenant, 'Finance', finance.token, 'TENANT'),
      actorOf('partner admin', p1, 'Admin', p1.admin.token, 'PARTNER'),
      actorOf('partner Customer Service', p1, 'Customer Service', support.token, 'PARTNER'),
      actorOf('another partner', p2, 'Admin', p2.admin.token, 'PARTNER'),
      actorOf("another tenant's admin", other, 'Admin', other.admin.token, 'TENANT'),
      { ...actorOf('disabled member', tenant, 'Admin', disabled.token, 'TENANT'), unauthenticated: true },
    ];

    const doc = (await (await ctx.app.request('/openapi.json')).json()) as Schema;
    const resolve = resolver(doc);
    const ops = operations(doc).filter((op) => op.access !== 'public' && op.access !== 'platform');
    const results: Result[] = [];
    const record = (r: Result) => results.push(r);

    for (const op of ops) {
      const route = `${op.method} ${op.path}`;
      const kind = kindOf(op);
      const validBody = op.body ? validValue(op.body, resolve) : undefined;
      const randomPath = fillPath(op.path, {});
      for (const actor of actors) {
        if (actor.unauthenticated) {
          const status = await send(op, actor, randomPath, validBody);
          record({
            actor: actor.name,
            check: actor.token ? 'disabled' : 'anonymous',
            route,
            status,
            expected: '401',
          });
        } else if (!allows(actor, op)) {
          const own = kind && resources.find((r) => r.kind === kind[1] && inScope(r, actor, kind[2]));
          const path = own ? fillPath(op.path, { [op.pathParams[0]!.name]: own.id }) : randomPath;
          record({
            actor: actor.name,
            check: 'forbidden',
            route,
            status: await send(op, actor, path, validBody),
            expected: '403',
          });
        } else if (kind) {
          const [, resourceKind, scope] = kind;
          for (const r of resources.filter((x) => x.kind === resourceKind && !inScope(x, actor, scope))) {
            const path = fillPath(op.path, { [op.pathParams[0]!.name]: r.id });
            record({
              actor: actor.name,
              check: 'foreign',
              route,
              status: await send(op, actor, path, validBody),
              expected: '404',
            });
          }
        }
      }
    }

    // Allowed actors on their own resources (reads, and writes with a body they must validate first).
    for (const op of ops) {
      const kind = kindOf(op);
      if (op.method !== 'GET' && !op.body) continue; // logout, MFA enrolment, suspend...: covered above
      for (const actor of actors.filter((a) => allows(a, op))) {
        if (PARTNER_RESOURCES.has(`${op.method} ${op.path}`) && actor.kind === 'TENANT') continue;
        let path = fillPath(op.path, {});
        if (op.pathParams.length) {
          const own = kind && resources.find((r) => r.kind === kind[1] && inScope(r, actor, kind[2]));
          if (!own) continue;
          path = fillPath(op.path, { [op.pathParams[0]!.name]: own.id });
        }
        const body = op.method === 'GET' ? undefined : { matrixProbe: '\u0000' }; // refused after authorisation
        record({
          actor: actor.name,
          check: 'own',
          route: `${op.method} ${op.path}`,
          status: await send(op, actor, path, body),
          expected: 'not 401/403/404',
        });
      }
    }

    const wrong = results.filter((r) =>
      r.expected === 'not 401/403/404' ? [401, 403, 404].includes(r.status) : String(r.status) !== r.expected,
    );
    const leaks = results.filter((r) => r.status < 300 && r.check !== 'own');
    const kinds = new Set(results.map((r) => r.actor));
    const count = (check: Result['check']) => results.filter((r) => r.check === check).length;
    console.log(
      `[authz-matrix] ${results.length} requests, ${ops.length} routes, ${kinds.size} actor kinds: ` +
        `${count('anonymous')} anonymous, ${count('disabled')} disabled, ${count('forbidden')} forbidden, ` +
        `${count('foreign')} cross-tenant/workspace, ${count('own')} own; ${wrong.length} unexpected, ${leaks.length} leaks`,
    );
    expect(kinds.size).toBeGreaterThanOrEqual(8);
    expect(leaks).toEqual([]);
    expect(wrong.map((r) => `${r.actor} ${r.check} ${r.route}: ${r.status}, expected ${r.expected}`)).toEqual(
      [],
    );
  }, 300_000);
});
