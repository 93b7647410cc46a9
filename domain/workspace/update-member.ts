// Change a member's name, contact email, chargeback emails, role or status; disabling revokes its sessions.
import type { EntityManager } from '@mikro-orm/postgresql';
import { conflict, notFound } from '../errors';
import { auditBy, type Actor } from '../identity/actor';
import { ADMIN_ROLE_NAME } from '../permissions';
import { assertCanManageRole, removesLastActiveAdmin } from '../roles';
import { recordAudit } from '../../db/store/audit';
import { lockActiveHolders, lockMembership, updateMembership } from '../../db/store/members';
import { findRole, findSystemRole } from '../../db/store/roles';
import { revokeSessions } from '../../db/store/sessions';
import { updateUserProfile } from '../../db/store/users';

export interface UpdateMemberInput {
  userId: string;
  name?: string;
  contactEmail?: string | null;
  receiveChargebackEmails?: boolean;
  roleId?: string;
  status?: 'ACTIVE' | 'DISABLED';
}

export async function updateMember(em: EntityManager, input: UpdateMemberInput, actor: Actor): Promise<void> {
  const { userId } = input;
  await em.transactional(async (tx) => {
    const adminRole = await findSystemRole(tx, actor.workspaceId, ADMIN_ROLE_NAME);
    const admins = adminRole ? await lockActiveHolders(tx, actor.workspaceId, adminRole.id) : [];
    const target = await lockMembership(tx, actor.workspaceId, userId);
    if (!target) throw notFound('member');
    assertCanManageRole(actor.permissions, target.role);
    const roleId = input.roleId ?? target.roleId;
    if (roleId !== target.roleId) {
      const role = await findRole(tx, actor.workspaceId, roleId, 'share');
      if (!role) throw notFound('role');
      assertCanManageRole(actor.permissions, role);
    }
    const status = input.status ?? target.status;
    const change = { staysAdmin: roleId === adminRole?.id, staysActive: status === 'ACTIVE' };
    if (removesLastActiveAdmin(admins, target.id, change)) {
      throw conflict('this is the last active Admin of the workspace; make another member Admin first');
    }
    await updateUserProfile(tx, userId, { name: input.name, contactEmail: input.contactEmail });
    await updateMembership(tx, target.id, {
      roleId,
      status,
      receiveChargebackEmails: input.receiveChargebackEmails,
    });
    const disabling = status === 'DISABLED' && target.status !== 'DISABLED';
    const revoked = disabling ? await revokeSessions(tx, { userId, workspaceId: actor.workspaceId }) : 0;
    const { userId: _target, ...fields } = input;
    await recordAudit(
      tx,
      auditBy(
        actor,
        disabling ? 'member.disabled' : 'member.updated',
        { type: 'user', id: userId },
        {
          changes: Object.keys(fields).filter((k) => fields[k as keyof typeof fields] !== undefined),
          ...(roleId !== target.roleId ? { roleId, previousRoleId: target.roleId } : {}),
          ...(status !== target.status ? { status, previousStatus: target.status } : {}),
          ...(disabling ? { revokedSessions: revoked } : {}),
        },
      ),
    );
  });
}
