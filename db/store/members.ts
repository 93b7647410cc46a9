// Member reads (membership joined with its user and role) and membership changes.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Membership, Role } from '../entities/identity';
import { keysetQuery, type KeysetPage } from '../keyset';

export type MemberStatus = 'ACTIVE' | 'DISABLED';

export interface MemberRow {
  membershipId: string;
  userId: string;
  name: string;
  loginEmail: string;
  contactEmail: string | null;
  roleId: string;
  roleName: string;
  status: MemberStatus;
  receiveChargebackEmails: boolean;
  mustChangePassword: boolean;
  createdAt: Date;
}

interface MemberSqlRow {
  membership_id: string;
  user_id: string;
  name: string;
  login_email: string;
  contact_email: string | null;
  role_id: string;
  role_name: string;
  status: MemberStatus;
  receive_chargeback_emails: boolean;
  must_change_password: boolean;
  created_at: Date;
}

const MEMBER_SELECT = `
  select m.id as membership_id, u.id as user_id, u.name, u.login_email, u.contact_email, m.role_id,
         r.name as role_name, m.status, m.receive_chargeback_emails, u.must_change_password, m.created_at
    from membership m join app_user u on u.id = m.user_id join role r on r.id = m.role_id`;

const toMember = (r: MemberSqlRow): MemberRow => ({
  membershipId: r.membership_id,
  userId: r.user_id,
  name: r.name,
  loginEmail: r.login_email,
  contactEmail: r.contact_email,
  roleId: r.role_id,
  roleName: r.role_name,
  status: r.status,
  receiveChargebackEmails: r.receive_chargeback_emails,
  mustChangePassword: r.must_change_password,
  createdAt: new Date(r.created_at),
});

export async function findMember(
  em: EntityManager,
  workspaceId: string,
  userId: string,
): Promise<MemberRow | null> {
  const [row] = await em.execute<MemberSqlRow[]>(
    `${MEMBER_SELECT} where m.workspace_id = ? and m.user_id = ?`,
    [workspaceId, userId],
  );
  return row ? toMember(row) : null;
}

/** A keyset page of members, newest first: `limit + 1` rows so the caller can tell whether more follow. */
export async function listMembers(
  em: EntityManager,
  workspaceId: string,
  page: KeysetPage,
): Promise<MemberRow[]> {
  const q = keysetQuery(MEMBER_SELECT, [['m.workspace_id = ?', workspaceId]], page, {
    time: 'm.created_at',
    id: 'm.id',
  });
  const rows = await em.execute<MemberSqlRow[]>(q.sql, q.params);
  return rows.map(toMember);
}

export async function isMember(em: EntityManager, workspaceId: string, userId: string): Promise<boolean> {
  return (await em.count(Membership, { workspace: workspaceId, user: userId })) > 0;
}

/** The membership of `userId` in the workspace, row-locked, with its role. */
export async function lockMembership(
  tx: EntityManager,
  workspaceId: string,
  userId: string,
): Promise<{
  id: string;
  roleId: string;
  status: MemberStatus;
  role: { name: string; permissions: string[] };
} | null> {
  const m = await tx.findOne(
    Membership,
    { workspace: workspaceId, user: userId },
    { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
  );
  if (!m) return null;
  const role = await tx.findOneOrFail(Role, { id: m.role }, { refresh: true });
  return {
    id: m.id,
    roleId: m.role,
    status: m.status as MemberStatus,
    role: { name: role.name, permissions: role.permissions },
  };
}

/** IDs of the ACTIVE memberships holding `roleId`, row-locked in a fixed order (the last-Admin guard). */
export async function lockActiveHolders(
  tx: EntityManager,
  workspaceId: string,
  roleId: string,
): Promise<string[]> {
  const rows = await tx.find(
    Membership,
    { workspace: workspaceId, role: roleId, status: 'ACTIVE' },
    { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' }, fields: ['id'], refresh: true },
  );
  return rows.map((r) => r.id);
}

export async function updateMembership(
  tx: EntityManager,
  membershipId: string,
  change: { roleId: string; status: MemberStatus; receiveChargebackEmails?: boolean },
): Promise<void> {
  await tx.nativeUpdate(
    Membership,
    { id: membershipId },
    {
      role: change.roleId,
      status: change.status,
      ...(change.receiveChargebackEmails !== undefined
        ? { receiveChargebackEmails: change.receiveChargebackEmails }
        : {}),
    },
  );
}

/** Distinct tenants the user is a member in (audit rows of account events go to each). */
export async function tenantsOfUser(em: EntityManager, userId: string): Promise<string[]> {
  const rows = await em.execute<{ tenant_id: string }[]>(
    'select distinct w.tenant_id from membership m join workspace w on w.id = m.workspace_id where m.user_id = ?',
    [userId],
  );
  return rows.map((r) => r.tenant_id);
}

/** True when a user with this login email is a member of the workspace (any status). */
export async function isMemberByEmail(
  em: EntityManager,
  workspaceId: string,
  email: string,
): Promise<boolean> {
  const rows = await em.execute<unknown[]>(
    `select 1 from membership m join app_user u on u.id = m.user_id
      where m.workspace_id = ? and u.login_email = lower(?)`,
    [workspaceId, email],
  );
  return rows.length > 0;
}

/** The permissions of the user's role when it is an ACTIVE member of the workspace, else null. */
export async function activeMemberPermissions(
  em: EntityManager,
  workspaceId: string,
  userId: string,
): Promise<string[] | null> {
  const m = await em.findOne(
    Membership,
    { workspace: workspaceId, user: userId, status: 'ACTIVE' },
    { refresh: true },
  );
  if (!m) return null;
  const role = await em.findOne(Role, { id: m.role }, { refresh: true });
  return role?.permissions ?? null;
}

export function findMembership(em: EntityManager, workspaceId: string, userId: string) {
  return em.findOne(Membership, { workspace: workspaceId, user: userId }, { refresh: true });
}

/** A membership as sign-in sees it: its workspace and whether it may be used (ACTIVE member, ACTIVE workspace). */
export interface SignInMembership {
  workspaceId: string;
  kind: 'TENANT' | 'PARTNER' | 'MERCHANT';
  name: string;
  tenantId: string;
  usable: boolean;
}

/** The membership to sign in to: the one asked for, else the oldest usable one, else the oldest at all. */
export async function pickSignInMembership(
  em: EntityManager,
  userId: string,
  workspaceId: string | undefined,
): Promise<SignInMembership | null> {
  const [row] = await em.execute<
    {
      workspace_id: string;
      kind: SignInMembership['kind'];
      name: string;
      tenant_id: string;
      usable: boolean;
    }[]
  >(
    `select w.id as workspace_id, w.kind, w.name, w.tenant_id,
            (m.status = 'ACTIVE' and w.status = 'ACTIVE') as usable
       from membership m join workspace w on w.id = m.workspace_id
      where m.user_id = ? ${workspaceId ? 'and m.workspace_id = ?' : ''}
      order by (m.status = 'ACTIVE' and w.status = 'ACTIVE') desc, m.created_at, m.id
      limit 1`,
    workspaceId ? [userId, workspaceId] : [userId],
  );
  if (!row) return null;
  return {
    workspaceId: row.workspace_id,
    kind: row.kind,
    name: row.name,
    tenantId: row.tenant_id,
    usable: row.usable,
  };
}

/** Inserts a membership unless its ID exists already (a retried activity). */
export async function insertMembershipIfAbsent(
  em: EntityManager,
  m: {
    id: string;
    workspaceId: string;
    userId: string;
    roleId: string;
    status?: 'ACTIVE' | 'DISABLED';
    receiveChargebackEmails?: boolean;
  },
): Promise<void> {
  if (await em.findOne(Membership, { id: m.id }, { fields: ['id'] })) return;
  await em.insert(Membership, {
    id: m.id,
    workspace: m.workspaceId,
    user: m.userId,
    role: m.roleId,
    status: m.status ?? 'ACTIVE',
    receiveChargebackEmails: m.receiveChargebackEmails ?? false,
    createdAt: new Date(),
  });
}

export async function deleteUserMemberships(em: EntityManager, userId: string): Promise<void> {
  await em.nativeDelete(Membership, { user: userId });
}

export async function deleteWorkspaceMemberships(em: EntityManager, workspaceId: string): Promise<void> {
  await em.nativeDelete(Membership, { workspace: workspaceId });
}
