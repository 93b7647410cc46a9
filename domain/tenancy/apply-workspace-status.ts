// Carries an organisation's suspension or reactivation to its workspace inside the caller's transaction: the
// workspace status (read by login, the auth middleware and transfer planning) and, on suspension, its sessions.
import type { EntityManager } from '@mikro-orm/postgresql';
import { revokeWorkspaceSessions } from '../../db/store/sessions';
import { setWorkspaceStatus } from '../../db/store/workspaces';

/** Sets the workspace's status; suspension ends its sessions (returns how many). */
export async function applyWorkspaceStatus(
  tx: EntityManager,
  workspaceId: string,
  to: 'ACTIVE' | 'SUSPENDED',
): Promise<number> {
  await setWorkspaceStatus(tx, workspaceId, to);
  return to === 'SUSPENDED' ? revokeWorkspaceSessions(tx, workspaceId) : 0;
}
