// Compensation of createWorkspace: removes the workspace with its roles, memberships, sessions and invitations.
import type { EntityManager } from '@mikro-orm/postgresql';
import { deleteWorkspace } from '../../db/store/workspaces';

export async function discardWorkspace(em: EntityManager, workspaceId: string): Promise<void> {
  await em.transactional((tx) => deleteWorkspace(tx, workspaceId));
}
