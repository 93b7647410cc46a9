// Who runs a command and from where: what commands need of the caller, and the audit row's common fields.
import type { AuditEntry } from '../../db/store/audit';
import type { WorkspaceKind } from '../permissions';

/** Where a request came from; stored on audit rows. */
export interface RequestOrigin {
  ip: string | null;
  requestId: string | null;
}

/** A signed-in member acting in its current workspace. */
export interface Actor extends RequestOrigin {
  userId: string;
  tenantId: string;
  workspaceId: string;
  workspaceKind: WorkspaceKind;
  permissions: ReadonlySet<string>;
}

/** An audit row written by `actor` in its workspace about `target`. */
export function auditBy(
  actor: Actor,
  action: string,
  target: { type: string; id: string },
  data: Record<string, unknown> = {},
): AuditEntry {
  return {
    tenantId: actor.tenantId,
    workspaceId: actor.workspaceId,
    actorUserId: actor.userId,
    action,
    targetType: target.type,
    targetId: target.id,
    data,
    ip: actor.ip,
    requestId: actor.requestId,
  };
}
