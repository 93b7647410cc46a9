// Revoke one of the caller's own sessions, named by its public reference; audited.
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditBy, type Actor } from './actor';
import { publicSessionId } from './session-ref';
import { notFound } from '../errors';
import { recordAudit } from '../../db/store/audit';
import { findUserSessions, revokeSessions } from '../../db/store/sessions';

/** The revoked session's ID (the caller compares it with its own to drop its cookie). */
export async function revokeSession(em: EntityManager, sessionRef: string, actor: Actor): Promise<string> {
  const sessions = await findUserSessions(em, actor.userId);
  const target = sessions.find((s) => publicSessionId(s.id) === sessionRef);
  if (!target) throw notFound('session');
  await em.transactional(async (tx) => {
    await revokeSessions(tx, { userId: actor.userId, sessionId: target.id });
    await recordAudit(
      tx,
      auditBy(actor, 'auth.session_revoked', { type: 'user', id: actor.userId }, { session: sessionRef }),
    );
  });
  return target.id;
}
