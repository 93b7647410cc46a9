// Reads of the audit log (the rows are appended by recordAudit in ./audit.ts), newest first, keyset-paged.
import type { EntityManager } from '@mikro-orm/postgresql';

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
  page: { limit: number; after: { createdAt: string; id: string } | null },
): Promise<AuditLogRow[]> {
  const clauses = ['tenant_id = ?'];
  const params: unknown[] = [filter.tenantId];
  if (filter.action?.endsWith('.*')) {
    clauses.push('starts_with(action, ?)');
    params.push(filter.action.slice(0, -1));
  } else if (filter.action) {
    clauses.push('action = ?');
    params.push(filter.action);
  }
  if (filter.actorId) {
    clauses.push('actor_user_id = ?');
    params.push(filter.actorId);
  }
  if (filter.from) {
    clauses.push('created_at >= ?::timestamptz');
    params.push(filter.from);
  }
  if (filter.to) {
    clauses.push('created_at < ?::timestamptz');
    params.push(filter.to);
  }
  if (page.after) {
    clauses.push(`(date_trunc('milliseconds', created_at), id) < (?::timestamptz, ?::bigint)`);
    params.push(page.after.createdAt, page.after.id);
  }
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
  >(
    `select id, action, actor_user_id, workspace_id, target_type, target_id, data, ip, request_id, created_at
       from audit_log where ${clauses.join(' and ')}
      order by date_trunc('milliseconds', created_at) desc, id desc limit ?`,
    [...params, page.limit + 1],
  );
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
