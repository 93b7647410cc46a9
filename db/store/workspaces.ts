// The workspace store: reads and changes of the `workspace` row (creation lives with tenant provisioning in
// db/store/tenancy.ts), suspension, and the compensations that remove a provisioned workspace or tenant with
// everything in it.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { WorkspaceKind } from '../../domain/permissions';
import { deleteTenantChannelProducts } from './channel-products';
import { deleteWorkspaceInvitations } from './invitations';
import { deleteWorkspaceMemberships } from './members';
import { deleteWorkspaceRoles } from './roles';
import { revokeWorkspaceSessions } from './sessions';
import { Tenant, Workspace, type WorkspaceEntity } from '../entities/tenancy';

export type WorkspaceRecord = WorkspaceEntity;

export function findWorkspace(em: EntityManager, id: string, lock = false): Promise<WorkspaceRecord | null> {
  return em.findOne(
    Workspace,
    { id },
    lock ? { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } : { refresh: true },
  );
}

export async function updateWorkspace(
  tx: EntityManager,
  id: string,
  change: { name?: string; settings?: Record<string, unknown> },
): Promise<void> {
  const set = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
  if (Object.keys(set).length) await tx.nativeUpdate(Workspace, { id }, set);
}

export async function setWorkspaceStatus(
  em: EntityManager,
  workspaceId: string,
  status: 'ACTIVE' | 'SUSPENDED',
): Promise<void> {
  await em.nativeUpdate(Workspace, { id: workspaceId }, { status });
}

/** Removes a workspace with its roles, memberships, sessions and invitations (idempotent). */
export async function deleteWorkspace(em: EntityManager, workspaceId: string): Promise<void> {
  await revokeWorkspaceSessions(em, workspaceId);
  await deleteWorkspaceMemberships(em, workspaceId);
  await deleteWorkspaceInvitations(em, workspaceId);
  await deleteWorkspaceRoles(em, workspaceId);
  await em.nativeDelete(Workspace, { id: workspaceId });
}

/** Removes a tenant with its workspaces and channel products; false when there was no tenant any more. */
export async function deleteTenant(em: EntityManager, tenantId: string): Promise<boolean> {
  const workspaces = await em.find(Workspace, { tenant: tenantId }, { fields: ['id'] });
  for (const w of workspaces) await deleteWorkspace(em, w.id);
  await deleteTenantChannelProducts(em, tenantId);
  return (await em.nativeDelete(Tenant, { id: tenantId })) > 0;
}

export async function insertTenantRow(em: EntityManager, t: { id: string; name: string }): Promise<void> {
  await em.execute(
    `insert into tenant (id, name, status, created_at) values (?, ?, 'ACTIVE', now()) on conflict (id) do nothing`,
    [t.id, t.name],
  );
}

export async function insertWorkspaceRow(
  em: EntityManager,
  w: { id: string; tenantId: string; kind: WorkspaceKind; name: string },
): Promise<void> {
  await em.execute(
    `insert into workspace (id, tenant_id, kind, name, settings, status, created_at)
     values (?, ?, ?, ?, '{}', 'ACTIVE', now()) on conflict (id) do nothing`,
    [w.id, w.tenantId, w.kind, w.name],
  );
}
