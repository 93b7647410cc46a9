// The messaging store for invitations: the only code that reads and writes the `invitation` table.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Invitation, type InvitationEntity } from '../entities/messaging';
import { keysetQuery, type KeysetPage } from '../keyset';
import { normaliseEmail } from './users';

export type InvitationRecord = InvitationEntity;

/** An invitation with the names a reader sees (raw status: apply domain/identity effectiveStatus). */
export interface InvitationView {
  id: string;
  tenantId: string;
  workspaceId: string;
  workspaceName: string;
  email: string;
  roleId: string;
  roleName: string;
  status: string;
  expiresAt: Date;
  invitedBy: string | null;
  inviterName: string | null;
  respondedAt: Date | null;
  createdAt: Date;
}

interface ViewSqlRow {
  id: string;
  tenant_id: string;
  workspace_id: string;
  workspace_name: string;
  email: string;
  role_id: string;
  role_name: string;
  status: string;
  expires_at: Date;
  invited_by: string | null;
  inviter_name: string | null;
  responded_at: Date | null;
  created_at: Date;
}

const SELECT_VIEW = `
  select i.id, i.tenant_id, i.workspace_id, w.name as workspace_name, i.email, i.role_id, r.name as role_name,
         i.status, i.expires_at, i.invited_by, u.name as inviter_name, i.responded_at, i.created_at
    from invitation i
    join workspace w on w.id = i.workspace_id
    join role r on r.id = i.role_id
    left join app_user u on u.id = i.invited_by`;

const toView = (r: ViewSqlRow): InvitationView => ({
  id: r.id,
  tenantId: r.tenant_id,
  workspaceId: r.workspace_id,
  workspaceName: r.workspace_name,
  email: r.email,
  roleId: r.role_id,
  roleName: r.role_name,
  status: r.status,
  expiresAt: new Date(r.expires_at),
  invitedBy: r.invited_by,
  inviterName: r.inviter_name,
  respondedAt: r.responded_at ? new Date(r.responded_at) : null,
  createdAt: new Date(r.created_at),
});

export async function findInvitationView(
  em: EntityManager,
  where: { id: string; workspaceId?: string },
): Promise<InvitationView | null> {
  const [row] = await em.execute<ViewSqlRow[]>(
    `${SELECT_VIEW} where i.id = ? ${where.workspaceId ? 'and i.workspace_id = ?' : ''}`,
    where.workspaceId ? [where.id, where.workspaceId] : [where.id],
  );
  return row ? toView(row) : null;
}

/**
 * A keyset page (limit + 1 rows) of a workspace's invitations or of those sent to an email, newest first;
 * `status` filters on the status a reader sees (a PENDING one past its expiry is EXPIRED).
 */
export async function listInvitationViews(
  em: EntityManager,
  where: { workspaceId: string } | { email: string },
  page: KeysetPage & { status?: string },
): Promise<InvitationView[]> {
  const q = keysetQuery(
    SELECT_VIEW,
    [
      'workspaceId' in where
        ? ['i.workspace_id = ?', where.workspaceId]
        : ['i.email = lower(?)', where.email],
      page.status && [
        `(case when i.status = 'PENDING' and i.expires_at <= now() then 'EXPIRED' else i.status end) = ?`,
        page.status,
      ],
    ],
    page,
    { time: `date_trunc('milliseconds', i.created_at)`, id: 'i.id' },
  );
  const rows = await em.execute<ViewSqlRow[]>(q.sql, q.params);
  return rows.map(toView);
}

/** The invitation row-locked for a state change: by its token's digest, or by ID (within a workspace or email). */
export function lockInvitation(
  tx: EntityManager,
  where: { tokenHash: string } | { id: string; workspaceId?: string; email?: string },
): Promise<InvitationRecord | null> {
  const filter =
    'tokenHash' in where
      ? { tokenHash: where.tokenHash }
      : {
          id: where.id,
          ...(where.workspaceId ? { workspace: where.workspaceId } : {}),
          ...(where.email ? { email: normaliseEmail(where.email) } : {}),
        };
  return tx.findOne(Invitation, filter, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

/** True when the email has a PENDING invitation to the workspace that has not expired. */
export async function hasPendingInvitation(
  em: EntityManager,
  workspaceId: string,
  email: string,
): Promise<boolean> {
  const filter = {
    workspace: workspaceId,
    email: normaliseEmail(email),
    status: 'PENDING',
    expiresAt: { $gt: new Date() },
  };
  return (await em.count(Invitation, filter)) > 0;
}

/** Marks the workspace's PENDING invitations for `email` that are past their expiry EXPIRED. */
export async function expireStaleInvitations(
  tx: EntityManager,
  workspaceId: string,
  email: string,
): Promise<void> {
  await tx.nativeUpdate(
    Invitation,
    {
      workspace: workspaceId,
      email: normaliseEmail(email),
      status: 'PENDING',
      expiresAt: { $lte: new Date() },
    },
    { status: 'EXPIRED', tokenHash: null, updatedAt: new Date() },
  );
}

/** Inserts a PENDING invitation without a token (its workflow issues one) unless the ID exists. */
export async function insertInvitation(
  tx: EntityManager,
  i: {
    id: string;
    tenantId: string;
    workspaceId: string;
    email: string;
    roleId: string;
    invitedBy: string | null;
    ttlMs: number;
  },
): Promise<void> {
  if (await tx.findOne(Invitation, { id: i.id }, { fields: ['id'] })) return;
  const now = new Date();
  await tx.insert(Invitation, {
    id: i.id,
    tenant: i.tenantId,
    workspace: i.workspaceId,
    email: normaliseEmail(i.email),
    role: i.roleId,
    status: 'PENDING',
    tokenHash: null,
    expiresAt: new Date(now.getTime() + i.ttlMs),
    invitedBy: i.invitedBy,
    createdAt: now,
    updatedAt: now,
  });
}

/** A PENDING invitation becomes REVOKED and its token stops working; a settled one stays as it is. */
export async function revokePendingInvitation(tx: EntityManager, invitationId: string): Promise<void> {
  const now = new Date();
  await tx.nativeUpdate(
    Invitation,
    { id: invitationId, status: 'PENDING' },
    { status: 'REVOKED', tokenHash: null, respondedAt: now, updatedAt: now },
  );
}

/** Settles an invitation (its token dies with the change). */
export async function settleInvitation(
  tx: EntityManager,
  id: string,
  status: 'ACCEPTED' | 'DECLINED' | 'REVOKED',
  acceptedUserId?: string,
): Promise<void> {
  const now = new Date();
  await tx.nativeUpdate(
    Invitation,
    { id },
    {
      status,
      tokenHash: null,
      respondedAt: now,
      updatedAt: now,
      ...(acceptedUserId ? { acceptedUserId } : {}),
    },
  );
}

/** Marks a still-PENDING invitation EXPIRED; the row when it did, null when it was not PENDING. */
export async function expireIfPending(tx: EntityManager, id: string): Promise<InvitationRecord | null> {
  const row = await lockInvitation(tx, { id });
  if (!row || row.status !== 'PENDING') return null;
  await tx.nativeUpdate(Invitation, { id }, { status: 'EXPIRED', tokenHash: null, updatedAt: new Date() });
  return row;
}

export async function invitationStatus(em: EntityManager, id: string): Promise<string | null> {
  const row = await em.findOne(Invitation, { id }, { fields: ['status'], refresh: true });
  return row?.status ?? null;
}

/** Stores the digest of a fresh token (the previous one stops working), renewing the expiry when asked. */
export async function replaceInvitationToken(
  tx: EntityManager,
  id: string,
  tokenHash: string,
  renewTtlMs?: number,
): Promise<void> {
  const now = new Date();
  await tx.nativeUpdate(
    Invitation,
    { id },
    {
      tokenHash,
      updatedAt: now,
      ...(renewTtlMs !== undefined ? { expiresAt: new Date(now.getTime() + renewTtlMs) } : {}),
    },
  );
}

export async function deleteWorkspaceInvitations(em: EntityManager, workspaceId: string): Promise<void> {
  await em.nativeDelete(Invitation, { workspace: workspaceId });
}
