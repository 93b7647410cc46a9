// Add a member with an initial password (changed at first sign-in): user, membership and audit row at once.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '../errors';
import { claimUserForEmail, emailTaken } from '../identity/claim-email';
import { auditBy, type Actor } from '../identity/actor';
import { assertCanManageRole } from '../roles';
import { recordAudit } from '../../db/store/audit';
import { findRole } from '../../db/store/roles';
import { insertMembershipIfAbsent } from '../../db/store/members';
import type { NewUser } from '../../db/store/users';

export interface AddMemberInput {
  name: string;
  loginEmail: string;
  contactEmail: string | null;
  passwordHash: string;
  roleId: string;
  status: 'ACTIVE' | 'DISABLED';
  receiveChargebackEmails: boolean;
}

/** Returns the new member's user ID; EMAIL_TAKEN when the login email already has an account. */
export async function addMember(em: EntityManager, input: AddMemberInput, actor: Actor): Promise<string> {
  const userId = randomUUID();
  const user: NewUser = {
    id: userId,
    loginEmail: input.loginEmail,
    name: input.name,
    contactEmail: input.contactEmail,
    passwordHash: input.passwordHash,
    activated: true,
    mustChangePassword: true,
  };
  await em.transactional(async (tx) => {
    const role = await findRole(tx, actor.workspaceId, input.roleId, 'share');
    if (!role) throw notFound('role');
    assertCanManageRole(actor.permissions, role);
    if ((await claimUserForEmail(tx, user)) !== 'created') throw emailTaken(input.loginEmail, 'EMAIL_TAKEN');
    await insertMembershipIfAbsent(tx, {
      id: randomUUID(),
      workspaceId: actor.workspaceId,
      userId,
      roleId: input.roleId,
      status: input.status,
      receiveChargebackEmails: input.receiveChargebackEmails,
    });
    await recordAudit(
      tx,
      auditBy(
        actor,
        'member.added',
        { type: 'user', id: userId },
        {
          loginEmail: input.loginEmail,
          roleId: input.roleId,
          status: input.status,
        },
      ),
    );
  });
  return userId;
}
