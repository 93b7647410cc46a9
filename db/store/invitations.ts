// Invitation reads and the acceptance write shared by the workspace, public and /v1/me invitation routes.
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../domain/errors';
import { recordAudit } from './audit';

export interface InvitationRow {
  id: string;
  tenant_id: string;
  workspace_id: string;
  workspace_name: string;
  email: string;
  role_id: string;
  role_name: string;
  /** PENDING past its expiry reads as EXPIRED even before the workflow's timer marks it. */
  status: string;
  expires_at: Date;
  invited_by: string | null;
  inviter_name: string | null;
  responded_at: Date | null;
  created_at: Date;
}

export const SELECT_INVITATION = `
  select i.id, i.tenant_id, i.workspace_id, w.name as workspace_name, i.email, i.role_id, r.name as role_name,
         case when i.status = 'PENDING' and i.expires_at <= now() then 'EXPIRED' else i.status end as status,
         i.expires_at, i.invited_by, u.name as inviter_name, i.responded_at, i.created_at
    from invitation i
    join workspace w on w.id = i.workspace_id
    join role r on r.id = i.role_id
    left join app_user u on u.id = i.invited_by`;

export function invitationJson(row: InvitationRow) {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    workspaceName: row.workspace_name,
    email: row.email,
    roleId: row.role_id,
    roleName: row.role_name,
    status: row.status as 'PENDING' | 'ACCEPTED' | 'DECLINED' | 'REVOKED' | 'EXPIRED',
    expiresAt: new Date(row.expires_at).toISOString(),
    invitedBy: row.invited_by,
    invitedByName: row.inviter_name,
    respondedAt: row.responded_at ? new Date(row.responded_at).toISOString() : null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export async function findInvitation(
  em: EntityManager,
  where: { id: string; workspaceId?: string; email?: string },
): Promise<InvitationRow | null> {
  const clauses = ['i.id = ?'];
  const params: unknown[] = [where.id];
  if (where.workspaceId) {
    clauses.push('i.workspace_id = ?');
    params.push(where.workspaceId);
  }
  if (where.email) {
    clauses.push('i.email = lower(?)');
    params.push(where.email);
  }
  const [row] = await em.execute<InvitationRow[]>(
    `${SELECT_INVITATION} where ${clauses.join(' and ')}`,
    params,
  );
  return row ?? null;
}

/** The invitation row locked for a state change (raw status, not the expiry-adjusted one). */
export interface LockedInvitation {
  id: string;
  tenant_id: string;
  workspace_id: string;
  email: string;
  role_id: string;
  status: string;
  expired: boolean;
  invited_by: string | null;
}

export async function lockInvitation(
  em: EntityManager,
  where: { tokenHash: string } | { id: string; email: string },
): Promise<LockedInvitation | null> {
  const byToken = 'tokenHash' in where;
  const [row] = await em.execute<LockedInvitation[]>(
    `select id, tenant_id, workspace_id, email, role_id, status, expires_at <= now() as expired, invited_by
       from invitation where ${byToken ? 'token_hash = ?' : 'id = ? and email = lower(?)'} for update`,
    byToken ? [where.tokenHash] : [where.id, where.email],
  );
  return row ?? null;
}

/** True while the inviter is an active member whose role may manage the team and holds every permission of the role. */
export async function inviterMayGrant(
  em: EntityManager,
  workspaceId: string,
  inviterId: string | null,
  roleId: string,
): Promise<boolean> {
  if (!inviterId) return false;
  const [row] = await em.execute<{ inviter: string[] | null; granted: string[] }[]>(
    `select (select r.permissions from membership m join role r on r.id = m.role_id
              where m.workspace_id = ? and m.user_id = ? and m.status = 'ACTIVE') as inviter,
            (select permissions from role where id = ?) as granted`,
    [workspaceId, inviterId, roleId],
  );
  if (!row?.inviter) return false;
  const held = new Set(row.inviter);
  return held.has('settings.team.manage') && (row.granted ?? []).every((p) => held.has(p));
}

export interface AcceptContext {
  ip: string | null;
  requestId: string | null;
  via: 'token' | 'session';
  /** The account had never been activated (e.g. a provisioned partner admin) and is being activated now. */
  activatingAccount?: boolean;
}

/**
 * Accepts a locked PENDING invitation for `userId` inside the caller's transaction: re-checks the inviter's
 * right to grant the role, adds the membership and writes the audit rows.
 */
export async function acceptLockedInvitation(
  em: EntityManager,
  invitation: LockedInvitation,
  userId: string,
  membershipId: string,
  context: AcceptContext,
): Promise<void> {
  const [member] = await em.execute<{ id: string; role_id: string }[]>(
    'select id, role_id from membership where workspace_id = ? and user_id = ?',
    [invitation.workspace_id, userId],
  );
  // A provisioned account's activation invitation: the membership was granted when it was provisioned.
  const activation = Boolean(context.activatingAccount && member && member.role_id === invitation.role_id);
  if (
    !activation &&
    !(await inviterMayGrant(em, invitation.workspace_id, invitation.invited_by, invitation.role_id))
  ) {
    throw new AppError(
      'FORBIDDEN',
      'the person who sent this invitation may no longer grant its role; ask for a new invitation',
    );
  }
  if (member && !activation) throw new AppError('CONFLICT', 'you are already a member of this workspace');
  if (!activation) {
    await em.execute(
      `insert into membership (id, workspace_id, user_id, role_id, status, receive_chargeback_emails, created_at)
       values (?, ?, ?, ?, 'ACTIVE', false, now())`,
      [membershipId, invitation.workspace_id, userId, invitation.role_id],
    );
  }
  await em.execute(
    `update invitation set status = 'ACCEPTED', token_hash = null, accepted_user_id = ?, responded_at = now(), updated_at = now()
      where id = ?`,
    [userId, invitation.id],
  );
  const common = {
    tenantId: invitation.tenant_id,
    workspaceId: invitation.workspace_id,
    actorUserId: userId,
    ip: context.ip,
    requestId: context.requestId,
  };
  await recordAudit(em, {
    ...common,
    action: 'invitation.accepted',
    targetType: 'invitation',
    targetId: invitation.id,
    data: { email: invitation.email, roleId: invitation.role_id, via: context.via },
  });
  await recordAudit(em, {
    ...common,
    action: activation ? 'member.activated' : 'member.added',
    targetType: 'user',
    targetId: userId,
    data: { roleId: invitation.role_id, via: 'invitation', invitationId: invitation.id },
  });
}
