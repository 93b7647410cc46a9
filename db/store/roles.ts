// The workspace store for roles: the only code that reads and writes the `role` table.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SYSTEM_ROLES, type WorkspaceKind } from '../../domain/permissions';
import { pgTextArray } from '../sql';
import { Membership, Role, type RoleEntity } from '../entities/identity';

export type RoleRecord = RoleEntity;

export interface RoleWithCount {
  id: string;
  name: string;
  description: string | null;
  permissions: string[];
  system: boolean;
  createdAt: Date;
  memberCount: number;
}

const LOCKS = { update: LockMode.PESSIMISTIC_WRITE, share: LockMode.PESSIMISTIC_READ } as const;

/** A role of this workspace, or null (another workspace's role is not found); `lock` needs a transaction. */
export function findRole(
  em: EntityManager,
  workspaceId: string,
  roleId: string,
  lock?: keyof typeof LOCKS,
): Promise<RoleRecord | null> {
  return em.findOne(
    Role,
    { id: roleId, workspace: workspaceId },
    lock ? { lockMode: LOCKS[lock], refresh: true } : { refresh: true },
  );
}

export function findSystemRole(
  em: EntityManager,
  workspaceId: string,
  name: string,
): Promise<RoleRecord | null> {
  return em.findOne(Role, { workspace: workspaceId, system: true, name });
}

async function withCounts(em: EntityManager, roles: RoleRecord[]): Promise<RoleWithCount[]> {
  const counts = new Map<string, number>();
  if (roles.length) {
    const rows = await em.execute<{ role_id: string; n: string }[]>(
      `select role_id, count(*) as n from membership where role_id in (${roles.map(() => '?').join(', ')})
        group by role_id`,
      roles.map((r) => r.id),
    );
    for (const row of rows) counts.set(row.role_id, Number(row.n));
  }
  return roles.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description ?? null,
    permissions: r.permissions,
    system: r.system,
    createdAt: r.createdAt,
    memberCount: counts.get(r.id) ?? 0,
  }));
}

/** The workspace's roles, system roles first, each with its member count. */
export async function listRolesWithCounts(em: EntityManager, workspaceId: string): Promise<RoleWithCount[]> {
  const roles = await em.find(
    Role,
    { workspace: workspaceId },
    { orderBy: { system: 'desc', createdAt: 'asc', name: 'asc' }, refresh: true },
  );
  return withCounts(em, roles);
}

export async function findRoleWithCount(em: EntityManager, roleId: string): Promise<RoleWithCount | null> {
  const role = await em.findOne(Role, { id: roleId }, { refresh: true });
  return role ? (await withCounts(em, [role]))[0]! : null;
}

/** True when another role of the workspace has this name (case-insensitive). */
export async function roleNameTaken(
  em: EntityManager,
  workspaceId: string,
  name: string,
  exceptRoleId?: string,
): Promise<boolean> {
  const rows = await em.execute<unknown[]>(
    `select 1 from role where workspace_id = ? and lower(name) = lower(?) ${exceptRoleId ? 'and id <> ?' : ''}`,
    exceptRoleId ? [workspaceId, name, exceptRoleId] : [workspaceId, name],
  );
  return rows.length > 0;
}

export async function insertRole(
  em: EntityManager,
  r: { id: string; workspaceId: string; name: string; description: string | null; permissions: string[] },
): Promise<void> {
  await em.insert(Role, {
    id: r.id,
    workspace: r.workspaceId,
    name: r.name,
    description: r.description,
    permissions: r.permissions,
    system: false,
    createdAt: new Date(),
  });
}

export async function updateRole(
  em: EntityManager,
  roleId: string,
  change: { name?: string; description?: string | null; permissions?: string[] },
): Promise<void> {
  const set = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
  if (Object.keys(set).length) await em.nativeUpdate(Role, { id: roleId }, set);
}

export async function roleHasMembers(em: EntityManager, roleId: string): Promise<boolean> {
  return (await em.count(Membership, { role: roleId })) > 0;
}

export async function deleteRole(em: EntityManager, roleId: string): Promise<void> {
  await em.nativeDelete(Role, { id: roleId });
}

export async function deleteWorkspaceRoles(em: EntityManager, workspaceId: string): Promise<void> {
  await em.nativeDelete(Role, { workspace: workspaceId });
}

/** The system roles of a new workspace, with the IDs given by name (idempotent). */
export async function insertSystemRoles(
  em: EntityManager,
  w: { workspaceId: string; kind: WorkspaceKind; roleIds: Record<string, string> },
): Promise<void> {
  for (const role of SYSTEM_ROLES) {
    const id = w.roleIds[role.name];
    if (!id) throw new Error(`no role ID given for system role ${role.name}`);
    await em.execute(
      `insert into role (id, workspace_id, name, description, permissions, system, created_at)
       values (?, ?, ?, ?, ?::text[], true, now()) on conflict (id) do nothing`,
      [id, w.workspaceId, role.name, role.description, pgTextArray(role.permissions(w.kind))],
    );
  }
}
