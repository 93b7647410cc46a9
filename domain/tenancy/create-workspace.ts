// Creates a workspace of any kind (TENANT, PARTNER, later MERCHANT) with the given system role set; idempotent by ID.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { WorkspaceKind } from '../permissions';
import { insertWorkspaceWithRoles } from '../../db/store/tenancy';

export interface CreateWorkspaceInput {
  workspaceId: string;
  tenantId: string;
  kind: WorkspaceKind;
  name: string;
  /** System role name -> role ID: the role set the workspace starts with. */
  roleIds: Record<string, string>;
}

export async function createWorkspace(em: EntityManager, input: CreateWorkspaceInput): Promise<void> {
  await em.transactional((tx) =>
    insertWorkspaceWithRoles(tx, {
      id: input.workspaceId,
      tenantId: input.tenantId,
      kind: input.kind,
      name: input.name,
      roleIds: input.roleIds,
    }),
  );
}
