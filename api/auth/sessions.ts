// Sessions behind one small module (lucia v3): hashed token IDs, sliding idle expiry and an absolute cap.
import { Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from 'lucia';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { digest, newToken } from '../../domain/tokens';
import type { SessionPrincipalRow as SessionRow } from '../../db/store/sessions';

export interface SessionAttributes {
  workspaceId: string;
  absoluteExpiresAt: Date;
  lastSeenAt: Date;
  ip: string | null;
  userAgent: string | null;
}

export type SessionPrincipal = Omit<SessionRow, 'id' | 'user_id' | 'expires_at' | 'absolute_expires_at'>;

const SELECT_SESSION = `
  select s.id, s.user_id, s.workspace_id, s.expires_at, s.absolute_expires_at, s.last_seen_at,
         u.login_email, u.name, u.contact_email, u.must_change_password,
         w.kind, w.name as workspace_name, w.tenant_id, w.status as workspace_status,
         m.id as membership_id, m.status as membership_status, r.id as role_id, r.name as role_name, r.permissions
    from session s
    join app_user u on u.id = s.user_id
    join workspace w on w.id = s.workspace_id
    left join membership m on m.workspace_id = s.workspace_id and m.user_id = s.user_id
    left join role r on r.id = m.role_id
   where s.id = ?`;

function adapterFor(orm: MikroORM): Adapter {
  const run = <T>(sql: string, params: unknown[] = []) =>
    orm.em.getConnection().execute<T[]>(sql, params as never[]);
  return {
    async getSessionAndUser(sessionId): Promise<[DatabaseSession | null, DatabaseUser | null]> {
      const [row] = await run<SessionRow>(SELECT_SESSION, [sessionId]);
      if (!row) return [null, null];
      const session: DatabaseSession = {
        id: row.id,
        userId: row.user_id,
        expiresAt: new Date(row.expires_at),
        attributes: {
          workspaceId: row.workspace_id,
          absoluteExpiresAt: new Date(row.absolute_expires_at),
          lastSeenAt: new Date(row.last_seen_at),
          ip: null,
          userAgent: null,
        },
      };
      const { id: _id, user_id: _u, expires_at: _e, absolute_expires_at: _a, ...principal } = row;
      return [session, { id: row.user_id, attributes: principal }];
    },
    async getUserSessions(userId) {
      const rows = await run<{ id: string; user_id: string; expires_at: Date }>(
        'select id, user_id, expires_at from session where user_id = ?',
        [userId],
      );
      return rows.map((r) => ({
        id: r.id,
        userId: r.user_id,
        expiresAt: new Date(r.expires_at),
        attributes: {},
      }));
    },
    async setSession(session) {
      const a = session.attributes as unknown as SessionAttributes;
      await run(
        `insert into session (id, user_id, workspace_id, expires_at, absolute_expires_at, created_at, last_seen_at, ip, user_agent)
         values (?, ?, ?, ?, ?, now(), now(), ?, ?)`,
        [
          session.id,
          session.userId,
          a.workspaceId,
          session.expiresAt,
          a.absoluteExpiresAt,
          a.ip,
          a.userAgent,
        ],
      );
    },
    async updateSessionExpiration(sessionId, expiresAt) {
      await run('update session set expires_at = least(?, absolute_expires_at) where id = ?', [
        expiresAt,
        sessionId,
      ]);
    },
    async deleteSession(sessionId) {
      await run('delete from session where id = ?', [sessionId]);
    },
    async deleteUserSessions(userId) {
      await run('delete from session where user_id = ?', [userId]);
    },
    async deleteExpiredSessions() {
      await run('delete from session where expires_at <= now() or absolute_expires_at <= now()');
    },
  };
}

export interface SessionManagerOptions {
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
}

export interface ValidatedSession {
  id: string;
  userId: string;
  expiresAt: Date;
  workspaceId: string;
  principal: SessionPrincipal;
}

/** Creates, validates and revokes sessions. The client only ever holds the token; the table holds its digest. */
export class SessionManager {
  private readonly lucia: Lucia;

  constructor(
    private readonly orm: MikroORM,
    private readonly options: SessionManagerOptions,
  ) {
    this.lucia = new Lucia(adapterFor(orm), {
      sessionExpiresIn: new TimeSpan(Math.max(1, Math.round(options.idleTimeoutMs / 1000)), 's'),
      getSessionAttributes: (a) => a,
      getUserAttributes: (a) => a,
    });
  }

  async create(
    userId: string,
    workspaceId: string,
    meta: { ip?: string | null; userAgent?: string | null } = {},
  ): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
    const token = newToken();
    const attributes: SessionAttributes = {
      workspaceId,
      absoluteExpiresAt: new Date(Date.now() + this.options.absoluteTimeoutMs),
      lastSeenAt: new Date(),
      ip: meta.ip?.slice(0, 64) ?? null,
      userAgent: meta.userAgent?.slice(0, 500) ?? null,
    };
    const session = await this.lucia.createSession(userId, attributes as never, { sessionId: digest(token) });
    return { token, sessionId: session.id, expiresAt: session.expiresAt };
  }

  /** The session for a bearer token, or null when unknown, idle-expired or past its absolute lifetime. */
  async validate(token: string): Promise<ValidatedSession | null> {
    const { session, user } = await this.lucia.validateSession(digest(token));
    if (!session || !user) return null;
    const attrs = session as unknown as SessionAttributes;
    if (attrs.absoluteExpiresAt.getTime() <= Date.now()) {
      await this.lucia.invalidateSession(session.id);
      return null;
    }
    if (Date.now() - attrs.lastSeenAt.getTime() > 60_000) {
      await this.orm.em
        .getConnection()
        .execute('update session set last_seen_at = now() where id = ?', [session.id]);
    }
    const principal = user as unknown as SessionPrincipal;
    return {
      id: session.id,
      userId: session.userId,
      expiresAt: session.expiresAt,
      workspaceId: attrs.workspaceId,
      principal,
    };
  }

  async revoke(sessionId: string): Promise<void> {
    await this.lucia.invalidateSession(sessionId);
  }
}

/** Revokes sessions inside the caller's transaction, so the change and its audit row commit together. */
export async function revokeSessions(
  em: EntityManager,
  where: { userId: string; workspaceId?: string; exceptSessionId?: string },
): Promise<number> {
  const clauses = ['user_id = ?'];
  const params: unknown[] = [where.userId];
  if (where.workspaceId) {
    clauses.push('workspace_id = ?');
    params.push(where.workspaceId);
  }
  if (where.exceptSessionId) {
    clauses.push('id <> ?');
    params.push(where.exceptSessionId);
  }
  const res = await em.execute<{ affectedRows: number }>(
    `delete from session where ${clauses.join(' and ')}`,
    params,
    'run',
  );
  return res.affectedRows;
}
