// Writes shared by provisioning activities, API handlers and test factories; every insert is idempotent by ID.
import type { EntityManager } from '@mikro-orm/postgresql';
import { SYSTEM_ROLES, type WorkspaceKind } from '../../domain/permissions';
import { pgTextArray } from '../sql';
import { findUserByEmail, insertMembershipIfAbsent, insertUserIfAbsent, type NewUser } from './users';
import { emailTaken } from '../../domain/identity/claim-email';

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

/** A user by ID (idempotent); the login email must be free (see domain/identity/claim-email.ts). */
export async function insertUser(em: EntityManager, u: NewUser): Promise<void> {
  if ((await insertUserIfAbsent(em, u)) === 'taken') throw emailTaken(u.loginEmail, 'CONFLICT');
}

export const insertMembership = insertMembershipIfAbsent;

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
  return (await findUserByEmail(em, email))?.id ?? null;
}
