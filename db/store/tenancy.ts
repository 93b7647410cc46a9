// Provisioning writes composed from the owning stores (workspaces, roles, channel products, users, members),
// shared by provisioning commands and test factories; every insert is idempotent by ID.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { WorkspaceKind } from '../../domain/permissions';
import { insertChannelProductIfAbsent } from './channel-products';
import { insertSystemRoles } from './roles';
import { insertTenantRow, insertWorkspaceRow } from './workspaces';
import { insertMembershipIfAbsent } from './members';
import { insertUserIfAbsent, type NewUser } from './users';
import { emailTaken } from '../../domain/identity/claim-email';

export async function insertTenant(em: EntityManager, t: { id: string; name: string }): Promise<void> {
  await insertTenantRow(em, t);
}

/** True when the tenant exists and is ACTIVE (a public form may name it). */
export async function tenantIsActive(em: EntityManager, tenantId: string): Promise<boolean> {
  const rows = await em.execute<unknown[]>(`select 1 from tenant where id = ? and status = 'ACTIVE'`, [
    tenantId,
  ]);
  return rows.length > 0;
}

/** A workspace and its system roles; returns the role IDs by name. */
export async function insertWorkspaceWithRoles(
  em: EntityManager,
  w: { id: string; tenantId: string; kind: WorkspaceKind; name: string; roleIds: Record<string, string> },
): Promise<Record<string, string>> {
  await insertWorkspaceRow(em, w);
  await insertSystemRoles(em, { workspaceId: w.id, kind: w.kind, roleIds: w.roleIds });
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
    await insertChannelProductIfAbsent(em, { id: ids[product.code]!, tenantId, ...product });
  }
}
