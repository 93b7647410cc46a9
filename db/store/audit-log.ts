// Reads of the audit log (the rows are appended by recordAudit in ./audit.ts), newest first, keyset-paged.
import type { EntityManager } from '@mikro-orm/postgresql';
import { keysetQuery, type KeysetPage } from '../keyset';

export interface AuditLogRow {
  id: string;
  action: string;
  actorUserId: string | null;
  workspaceId: string | null;
  targetType: string | null;
  targetId: string | null;
  data: Record<string, unknown>;
  ip: string | null;
  requestId: string | null;
  createdAt: Date;
}

export interface AuditLogFilter {
  tenantId: string;
  /** Exact, or a prefix when it ends with `.*`. */
  action?: string;
  actorId?: string;
  from?: string;
  to?: string;
}

/** `limit + 1` rows of the tenant's audit log, newest first, after the keyset cursor (createdAt, numeric id). */
export async function listAuditLog(
  em: EntityManager,
  filter: AuditLogFilter,
  page: KeysetPage,
): Promise<AuditLogRow[]> {
  const action = filter.action?.endsWith('.*')
    ? (['starts_with(action, ?)', filter.action.slice(0, -1)] as const)
    : filter.action && (['action = ?', filter.action] as const);
  const q = keysetQuery(
    `select id, action, actor_user_id, workspace_id, target_type, target_id, data, ip, request_id, created_at
       from audit_log`,
    [
      ['tenant_id = ?', filter.tenantId],
      action,
      filter.actorId && ['actor_user_id = ?', filter.actorId],
      filter.from && ['created_at >= ?::timestamptz', filter.from],
      filter.to && ['created_at < ?::timestamptz', filter.to],
    ],
    page,
    { time: `date_trunc('milliseconds', created_at)`, id: 'id', idType: 'bigint' },
  );
  const rows = await em.execute<
    {
      id: string;
      action: string;
      actor_user_id: string | null;
      workspace_id: string | null;
      target_type: string | null;
      target_id: string | null;
      data: Record<string, unknown>;
      ip: string | null;
      request_id: string | null;
      created_at: Date;
    }[]
  >(q.sql, q.params);
  return rows.map((r) => ({
    id: String(r.id),
    action: r.action,
    actorUserId: r.actor_user_id,
    workspaceId: r.workspace_id,
    targetType: r.target_type,
    targetId: r.target_id,
    data: r.data,
    ip: r.ip,
    requestId: r.request_id,
    createdAt: new Date(r.created_at),
  }));
}
