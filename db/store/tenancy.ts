// Writes shared by provisioning activities, API handlers and test factories; every insert is idempotent by ID.
import type { EntityManager } from '@mikro-orm/postgresql';
import { SYSTEM_ROLES, type WorkspaceKind } from '../../domain/permissions';
import { pgTextArray } from '../sql';

export async function insertTenant(em: EntityManager, t: { id: string; name: string }): Promise<void> {
  await em.execute(
    `insert into tenant (id, name, status, created_at) values (?, ?, 'ACTIVE', now()) on conflict (id) do nothing`,
    [t.id, t.name],
  );
}

/** A workspace and its system roles; returns the role IDs by name. */
export async function insertWorkspaceWithRoles(
  em: EntityManager,
  w: { id: string; tenantId: string; kind: WorkspaceKind; name: string; roleIds: Record<string, string> },
): Promise<Record<string, string>> {
  await em.execute(
    `insert into workspace (id, tenant_id, kind, name, settings, status, created_at)
     values (?, ?, ?, ?, '{}', 'ACTIVE', now()) on conflict (id) do nothing`,
    [w.id, w.tenantId, w.kind, w.name],
  );
  for (const role of SYSTEM_ROLES) {
    const id = w.roleIds[role.name];
    if (!id) throw new Error(`no role ID given for system role ${role.name}`);
    await em.execute(
      `insert into role (id, workspace_id, name, description, permissions, system, created_at)
       values (?, ?, ?, ?, ?::text[], true, now()) on conflict (id) do nothing`,
      [id, w.id, role.name, role.description, pgTextArray(role.permissions(w.kind))],
    );
  }
  return w.roleIds;
}

export async function insertUser(
  em: EntityManager,
  u: {
    id: string;
    loginEmail: string;
    name: string;
    passwordHash: string | null;
    activated: boolean;
    mustChangePassword?: boolean;
  },
): Promise<void> {
  await em.execute(
    `insert into app_user (id, login_email, name, password_hash, activated, must_change_password, password_changed_at, created_at)
     values (?, lower(?), ?, ?, ?, ?, case when ?::text is null then null else now() end, now())
     on conflict (id) do nothing`,
    [u.id, u.loginEmail, u.name, u.passwordHash, u.activated, u.mustChangePassword ?? false, u.passwordHash],
  );
}

/**
 * Creates the user `u.id` for `u.loginEmail` unless it exists already (a retried activity).
 * 'taken' when the email belongs to another user; nothing is written then.
 */
export async function claimUserForEmail(
  em: EntityManager,
  u: { id: string; loginEmail: string; name: string; passwordHash: string | null; activated: boolean },
): Promise<'created' | 'exists' | 'taken'> {
  const existing = await findUserIdByEmail(em, u.loginEmail);
  if (existing) return existing === u.id ? 'exists' : 'taken';
  await insertUser(em, u);
  return 'created';
}

export async function insertMembership(
  em: EntityManager,
  m: { id: string; workspaceId: string; userId: string; roleId: string; status?: 'ACTIVE' | 'DISABLED' },
): Promise<void> {
  await em.execute(
    `insert into membership (id, workspace_id, user_id, role_id, status, receive_chargeback_emails, created_at)
     values (?, ?, ?, ?, ?, false, now()) on conflict (id) do nothing`,
    [m.id, m.workspaceId, m.userId, m.roleId, m.status ?? 'ACTIVE'],
  );
}

export const DEFAULT_CHANNEL_PRODUCTS = [
  { code: 'INTERNAL', name: 'Wallet-to-wallet transfer', type: 'BOOK_TRANSFER' },
  { code: 'SANDBOX_BANK', name: 'Sandbox bank payout', type: 'BANK_PAYOUT' },
] as const;

export async function insertDefaultChannelProducts(
  em: EntityManager,
  tenantId: string,
  ids: Record<string, string>,
): Promise<void> {
  for (const product of DEFAULT_CHANNEL_PRODUCTS) {
    await em.execute(
      `insert into channel_product (id, tenant_id, code, name, type, currencies, status, created_at)
       values (?, ?, ?, ?, ?, '{}', 'ACTIVE', now()) on conflict (tenant_id, code) do nothing`,
      [ids[product.code], tenantId, product.code, product.name, product.type],
    );
  }
}

export async function findUserIdByEmail(em: EntityManager, email: string): Promise<string | null> {
  const [row] = await em.execute<{ id: string }[]>('select id from app_user where login_email = lower(?)', [
    email,
  ]);
  return row?.id ?? null;
}
