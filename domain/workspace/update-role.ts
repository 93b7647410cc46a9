// Rename a role or change its description or permissions (its members' next request sees the change).
import type { EntityManager } from '@mikro-orm/postgresql';
import { conflict, notFound } from '../errors';
import { auditBy, type Actor } from '../identity/actor';
import { ADMIN_ROLE_NAME } from '../permissions';
import { assertCanManageRole, assertGrantable, normalisePermissions } from '../roles';
import { recordAudit } from '../../db/store/audit';
import { findRole, roleNameTaken, updateRole as writeRole } from '../../db/store/roles';

export interface UpdateRoleInput {
  roleId: string;
  name?: string;
  description?: string | null;
  permissions?: string[];
}

/** System roles keep their names, and the Admin role always holds every permission (409). */
export async function updateRole(em: EntityManager, input: UpdateRoleInput, actor: Actor): Promise<void> {
  await em.transactional(async (tx) => {
    const role = await findRole(tx, actor.workspaceId, input.roleId, 'update');
    if (!role) throw notFound('role');
    assertCanManageRole(actor.permissions, role);
    if (role.system && input.name !== undefined && input.name !== role.name) {
      throw conflict('a system role cannot be renamed');
    }
    let permissions: string[] | undefined;
    if (input.permissions) {
      assertGrantable(actor.workspaceKind, actor.permissions, input.permissions);
      permissions = normalisePermissions(input.permissions);
      const same = permissions.join() === normalisePermissions(role.permissions).join();
      if (role.system && role.name === ADMIN_ROLE_NAME && !same) {
        throw conflict('the Admin role always holds every permission');
      }
    }
    const renamed = input.name !== undefined && input.name.toLowerCase() !== role.name.toLowerCase();
    if (renamed && (await roleNameTaken(tx, actor.workspaceId, input.name!, role.id))) {
      throw conflict(`a role named ${input.name} already exists`);
    }
    const previousPermissions = role.permissions;
    await writeRole(tx, role.id, { name: input.name, description: input.description, permissions });
    await recordAudit(
      tx,
      auditBy(
        actor,
        'role.updated',
        { type: 'role', id: role.id },
        {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(permissions ? { permissions, previousPermissions } : {}),
        },
      ),
    );
  });
}
