// Appends audit rows inside the caller's transaction.
import type { EntityManager } from '@mikro-orm/postgresql';

export interface AuditEntry {
  tenantId?: string | null;
  workspaceId?: string | null;
  actorUserId?: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  data?: Record<string, unknown>;
  ip?: string | null;
  requestId?: string | null;
}

export async function recordAudit(em: EntityManager, entry: AuditEntry): Promise<void> {
  await em.execute(
    `insert into audit_log (tenant_id, workspace_id, actor_user_id, action, target_type, target_id, data, ip, request_id, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, clock_timestamp())`,
    [
      entry.tenantId ?? null,
      entry.workspaceId ?? null,
      entry.actorUserId ?? null,
      entry.action,
      entry.targetType ?? null,
      entry.targetId ?? null,
      JSON.stringify(entry.data ?? {}),
      entry.ip ?? null,
      entry.requestId ?? null,
    ],
  );
}
