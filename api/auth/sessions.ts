// Sessions behind one small module (lucia v3): hashed token IDs, sliding idle expiry and an absolute cap.
import { Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from 'lucia';
import type { MikroORM } from '@mikro-orm/postgresql';
import { digest, newToken } from '../../domain/tokens';
import {
  deleteExpiredSessions,
  deleteSession,
  extendSession,
  findSessionPrincipal,
  findUserSessions,
  insertSession,
  revokeSessions,
  touchSession,
  type SessionPrincipalRow as SessionRow,
} from '../../db/store/sessions';

export interface SessionAttributes {
  workspaceId: string;
  absoluteExpiresAt: Date;
  lastSeenAt: Date;
  ip: string | null;
  userAgent: string | null;
}

export type SessionPrincipal = Omit<SessionRow, 'id' | 'user_id' | 'expires_at' | 'absolute_expires_at'>;

/** lucia's storage, backed by the identity store's session functions (the only code touching `session`). */
function adapterFor(orm: MikroORM): Adapter {
  const em = () => orm.em.fork();
  return {
    async getSessionAndUser(sessionId): Promise<[DatabaseSession | null, DatabaseUser | null]> {
      const row = await findSessionPrincipal(em(), sessionId);
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
      const rows = await findUserSessions(em(), userId);
      return rows.map((r) => ({ id: r.id, userId, expiresAt: new Date(r.expiresAt), attributes: {} }));
    },
    async setSession(session) {
      const a = session.attributes as unknown as SessionAttributes;
      await insertSession(em(), {
        id: session.id,
        userId: session.userId,
        workspaceId: a.workspaceId,
        expiresAt: session.expiresAt,
        absoluteExpiresAt: a.absoluteExpiresAt,
        ip: a.ip,
        userAgent: a.userAgent,
      });
    },
    async updateSessionExpiration(sessionId, expiresAt) {
      await extendSession(em(), sessionId, expiresAt);
    },
    async deleteSession(sessionId) {
      await deleteSession(em(), sessionId);
    },
    async deleteUserSessions(userId) {
      await revokeSessions(em(), { userId });
    },
    async deleteExpiredSessions() {
      await deleteExpiredSessions(em());
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
      await touchSession(this.orm.em.fork(), session.id);
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
