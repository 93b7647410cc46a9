// Sign out: the current session is deleted, audited.
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditBy, type Actor } from './actor';
import { recordAudit } from '../../db/store/audit';
import { deleteSession } from '../../db/store/sessions';

export async function signOut(em: EntityManager, sessionId: string, actor: Actor): Promise<void> {
  await em.transactional(async (tx) => {
    await deleteSession(tx, sessionId);
    await recordAudit(tx, auditBy(actor, 'auth.logout', { type: 'user', id: actor.userId }));
  });
}
