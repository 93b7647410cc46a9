// The workspace store: reads and changes of the `workspace` row (creation lives with tenant provisioning in
// db/store/tenancy.ts), suspension, and the compensations that remove a provisioned workspace or tenant with
// everything in it.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Membership, Role, Session } from '../entities/identity';
import { Invitation } from '../entities/messaging';
import { ChannelProduct } from '../entities/channels';
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

/** Ends every session in the workspace; returns how many. */
export function revokeWorkspaceSessions(em: EntityManager, workspaceId: string): Promise<number> {
  return em.nativeDelete(Session, { workspace: workspaceId });
}

/** Removes a workspace with its roles, memberships, sessions and invitations (idempotent). */
export async function deleteWorkspace(em: EntityManager, workspaceId: string): Promise<void> {
  await em.nativeDelete(Session, { workspace: workspaceId });
  await em.nativeDelete(Membership, { workspace: workspaceId });
  await em.nativeDelete(Invitation, { workspace: workspaceId });
  await em.nativeDelete(Role, { workspace: workspaceId });
  await em.nativeDelete(Workspace, { id: workspaceId });
}

/** Removes a tenant with its workspaces and channel products; false when there was no tenant any more. */
export async function deleteTenant(em: EntityManager, tenantId: string): Promise<boolean> {
  const workspaces = await em.find(Workspace, { tenant: tenantId }, { fields: ['id'] });
  for (const w of workspaces) await deleteWorkspace(em, w.id);
  await em.nativeDelete(ChannelProduct, { tenant: tenantId });
  return (await em.nativeDelete(Tenant, { id: tenantId })) > 0;
}
