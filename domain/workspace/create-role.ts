// Create a custom role holding only permissions the actor holds itself.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { conflict } from '../errors';
import { auditBy, type Actor } from '../identity/actor';
import { assertGrantable, normalisePermissions } from '../roles';
import { recordAudit } from '../../db/store/audit';
import { insertRole, roleNameTaken } from '../../db/store/roles';

/** Returns the new role's ID; CONFLICT when the workspace has a role of that name (any case). */
export async function createRole(
  em: EntityManager,
  input: { name: string; description: string | null; permissions: string[] },
  actor: Actor,
): Promise<string> {
  assertGrantable(actor.workspaceKind, actor.permissions, input.permissions);
  const permissions = normalisePermissions(input.permissions);
  const id = randomUUID();
  await em.transactional(async (tx) => {
    if (await roleNameTaken(tx, actor.workspaceId, input.name)) {
      throw conflict(`a role named ${input.name} already exists`);
    }
    await insertRole(tx, { id, workspaceId: actor.workspaceId, ...input, permissions });
    await recordAudit(
      tx,
      auditBy(actor, 'role.created', { type: 'role', id }, { name: input.name, permissions }),
    );
  });
  return id;
}
