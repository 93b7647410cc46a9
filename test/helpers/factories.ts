// Test data factories: each test creates its own tenant, so tests never truncate and can run in parallel.
import { randomUUID } from 'node:crypto';
import { SYSTEM_ROLES, type WorkspaceKind } from '../../domain/permissions';
import { hashPassword } from '../../domain/passwords';
import {
  DEFAULT_CHANNEL_PRODUCTS,
  insertDefaultChannelProducts,
  insertMembership,
  insertTenant,
  insertUser,
  insertWorkspaceWithRoles,
} from '../../db/store/tenancy';
import { SessionManager } from '../../api/auth/sessions';
import type { TestContext } from './context';

export const TEST_PASSWORD = 'correct horse battery staple';

/** What the seed document (004) grants the Finance system role, in catalog order: the tests' expectation. */
export const FINANCE_PERMISSIONS = [
  'balance.view',
  'payment.view',
  'payout.view',
  'payout.create',
  'payout.cancel',
  'payout.approve',
];
let cachedHash: Promise<string> | undefined;
/** Hashing once per file keeps factories fast; every user still gets a real argon2id hash. */
const testPasswordHash = () => (cachedHash ??= hashPassword(TEST_PASSWORD));

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.test`;
}

export interface MemberFixture {
  userId: string;
  email: string;
  password: string;
  token: string;
  membershipId: string;
  roleId: string;
}

export interface WorkspaceFixture {
  tenantId: string;
  workspaceId: string;
  kind: WorkspaceKind;
  roles: Record<string, string>;
  admin: MemberFixture;
}

export async function login(ctx: TestContext, userId: string, workspaceId: string): Promise<string> {
  const sessions = new SessionManager(ctx.orm, {
    idleTimeoutMs: ctx.config.SESSION_IDLE_TIMEOUT_MS,
    absoluteTimeoutMs: ctx.config.SESSION_ABSOLUTE_TIMEOUT_MS,
  });
  return (await sessions.create(userId, workspaceId)).token;
}

/** A member of `workspace` with the named system role (or a role ID), signed in. */
export async function createMember(
  ctx: TestContext,
  workspace: { workspaceId: string; roles: Record<string, string> },
  role: string,
  options: { email?: string; mustChangePassword?: boolean } = {},
): Promise<MemberFixture> {
  const em = ctx.orm.em.fork();
  const userId = randomUUID();
  const membershipId = randomUUID();
  const email = options.email ?? uniqueEmail(role.toLowerCase().replace(/\s+/g, '-'));
  const roleId = workspace.roles[role] ?? role;
  await em.transactional(async (tx) => {
    await insertUser(tx, {
      id: userId,
      loginEmail: email,
      name: `Test ${role}`,
      passwordHash: await testPasswordHash(),
      activated: true,
      mustChangePassword: options.mustChangePassword ?? false,
    });
    await insertMembership(tx, { id: membershipId, workspaceId: workspace.workspaceId, userId, roleId });
  });
  const token = await login(ctx, userId, workspace.workspaceId);
  return { userId, email, password: TEST_PASSWORD, token, membershipId, roleId };
}

async function createWorkspace(ctx: TestContext, tenantId: string, kind: WorkspaceKind, name: string) {
  const workspaceId = randomUUID();
  const roles = Object.fromEntries(SYSTEM_ROLES.map((r) => [r.name, randomUUID()]));
  await ctx.orm.em
    .fork()
    .transactional((em) =>
      insertWorkspaceWithRoles(em, { id: workspaceId, tenantId, kind, name, roleIds: roles }),
    );
  return { workspaceId, roles };
}

/** A tenant with its TENANT workspace, system roles, default channel products and a signed-in Admin. */
export async function createTenant(
  ctx: TestContext,
  name = `Tenant ${randomUUID().slice(0, 6)}`,
): Promise<WorkspaceFixture> {
  const tenantId = randomUUID();
  await ctx.orm.em.fork().transactional(async (em) => {
    await insertTenant(em, { id: tenantId, name });
    await insertDefaultChannelProducts(
      em,
      tenantId,
      Object.fromEntries(DEFAULT_CHANNEL_PRODUCTS.map((p) => [p.code, randomUUID()])),
    );
  });
  const ws = await createWorkspace(ctx, tenantId, 'TENANT', name);
  const admin = await createMember(ctx, ws, 'Admin');
  return { tenantId, kind: 'TENANT', ...ws, admin };
}

/** A PARTNER workspace under `tenantId` with system roles and a signed-in Admin (no partner record). */
export async function createPartnerWorkspace(
  ctx: TestContext,
  tenantId: string,
  name = 'Partner',
): Promise<WorkspaceFixture> {
  const ws = await createWorkspace(ctx, tenantId, 'PARTNER', name);
  const admin = await createMember(ctx, ws, 'Admin');
  return { tenantId, kind: 'PARTNER', ...ws, admin };
}
