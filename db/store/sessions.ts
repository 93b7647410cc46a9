// The identity store for sign-in sessions: the only code that reads and writes the `session` table.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Session } from '../entities/identity';

export interface SessionPrincipalRow {
  id: string;
  user_id: string;
  workspace_id: string;
  expires_at: Date;
  absolute_expires_at: Date;
  last_seen_at: Date;
  login_email: string;
  name: string;
  contact_email: string | null;
  must_change_password: boolean;
  kind: string;
  workspace_name: string;
  tenant_id: string;
  workspace_status: string;
  membership_id: string | null;
  membership_status: string | null;
  role_id: string | null;
  role_name: string | null;
  permissions: string[] | null;
}

/** A session with its user, workspace, membership and role, as the auth middleware needs them. */
export async function findSessionPrincipal(
  em: EntityManager,
  sessionId: string,
): Promise<SessionPrincipalRow | null> {
  const [row] = await em.execute<SessionPrincipalRow[]>(
    `select s.id, s.user_id, s.workspace_id, s.expires_at, s.absolute_expires_at, s.last_seen_at,
            u.login_email, u.name, u.contact_email, u.must_change_password,
            w.kind, w.name as workspace_name, w.tenant_id, w.status as workspace_status,
            m.id as membership_id, m.status as membership_status, r.id as role_id, r.name as role_name, r.permissions
       from session s
       join app_user u on u.id = s.user_id
       join workspace w on w.id = s.workspace_id
       left join membership m on m.workspace_id = s.workspace_id and m.user_id = s.user_id
       left join role r on r.id = m.role_id
      where s.id = ?`,
    [sessionId],
  );
  return row ?? null;
}

export function findUserSessions(em: EntityManager, userId: string) {
  return em.find(Session, { user: userId }, { refresh: true });
}

/** The user's sessions that are neither idle-expired nor past their absolute lifetime, newest first. */
export function findActiveSessions(em: EntityManager, userId: string) {
  const now = new Date();
  return em.find(
    Session,
    { user: userId, expiresAt: { $gt: now }, absoluteExpiresAt: { $gt: now } },
    { orderBy: { createdAt: 'desc', id: 'asc' }, refresh: true },
  );
}

export async function insertSession(
  em: EntityManager,
  s: {
    id: string;
    userId: string;
    workspaceId: string;
    expiresAt: Date;
    absoluteExpiresAt: Date;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<void> {
  const now = new Date();
  await em.insert(Session, {
    id: s.id,
    user: s.userId,
    workspace: s.workspaceId,
    expiresAt: s.expiresAt,
    absoluteExpiresAt: s.absoluteExpiresAt,
    createdAt: now,
    lastSeenAt: now,
    ip: s.ip,
    userAgent: s.userAgent,
  });
}

/** Slides the idle expiry, never past the absolute one. */
export async function extendSession(em: EntityManager, sessionId: string, expiresAt: Date): Promise<void> {
  await em.execute('update session set expires_at = least(?, absolute_expires_at) where id = ?', [
    expiresAt,
    sessionId,
  ]);
}

export async function touchSession(em: EntityManager, sessionId: string): Promise<void> {
  await em.nativeUpdate(Session, { id: sessionId }, { lastSeenAt: new Date() });
}

export async function deleteExpiredSessions(em: EntityManager): Promise<void> {
  const now = new Date();
  await em.nativeDelete(Session, {
    $or: [{ expiresAt: { $lte: now } }, { absoluteExpiresAt: { $lte: now } }],
  });
}

/** Deletes sessions of a user (optionally one workspace, optionally sparing one); returns how many. */
export function revokeSessions(
  em: EntityManager,
  where: { userId: string; workspaceId?: string; exceptSessionId?: string; sessionId?: string },
): Promise<number> {
  return em.nativeDelete(Session, {
    user: where.userId,
    ...(where.workspaceId ? { workspace: where.workspaceId } : {}),
    ...(where.sessionId
      ? { id: where.sessionId }
      : where.exceptSessionId
        ? { id: { $ne: where.exceptSessionId } }
        : {}),
  });
}

export async function deleteSession(em: EntityManager, sessionId: string): Promise<void> {
  await em.nativeDelete(Session, { id: sessionId });
}

/** Ends every session in the workspace; returns how many. */
export function revokeWorkspaceSessions(em: EntityManager, workspaceId: string): Promise<number> {
  return em.nativeDelete(Session, { workspace: workspaceId });
}

/** Deletes up to `limit` sessions past their idle or absolute expiry at `now`; answers how many. */
export async function deleteExpiredSessionBatch(
  em: EntityManager,
  now: Date,
  limit: number,
): Promise<number> {
  const res = await em.execute<{ affectedRows: number }>(
    `delete from session where id in (
       select id from session where expires_at <= ? or absolute_expires_at <= ? limit ?)`,
    [now, now, limit],
    'run',
  );
  return res.affectedRows;
}
