// Compensation of createWorkspaceAdmin: removes the user with its memberships and sessions.
import type { EntityManager } from '@mikro-orm/postgresql';
import { deleteUser } from '../../db/store/users';

export async function discardProvisionedUser(em: EntityManager, userId: string): Promise<void> {
  await em.transactional((tx) => deleteUser(tx, userId));
}
