// Delete a custom role no member holds.
import { ForeignKeyConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, conflict, notFound } from '../errors';
import { auditBy, type Actor } from '../identity/actor';
import { assertCanManageRole } from '../roles';
import { recordAudit } from '../../db/store/audit';
import { deleteRole as removeRole, findRole, roleHasMembers } from '../../db/store/roles';

const inUse = () => new AppError('ROLE_IN_USE', 'members still hold this role; give them another role first');

/** ROLE_IN_USE while a member holds it (also when one is added concurrently); CONFLICT for a system role. */
export async function deleteRole(em: EntityManager, input: { roleId: string }, actor: Actor): Promise<void> {
  try {
    await em.transactional(async (tx) => {
      const role = await findRole(tx, actor.workspaceId, input.roleId, 'update');
      if (!role) throw notFound('role');
      if (role.system) throw conflict('a system role cannot be deleted');
      assertCanManageRole(actor.permissions, role);
      if (await roleHasMembers(tx, role.id)) throw inUse();
      await removeRole(tx, role.id);
      await recordAudit(
        tx,
        auditBy(
          actor,
          'role.deleted',
          { type: 'role', id: role.id },
          {
            name: role.name,
            permissions: role.permissions,
          },
        ),
      );
    });
  } catch (err) {
    if (err instanceof ForeignKeyConstraintViolationException) throw inUse();
    throw err;
  }
}
