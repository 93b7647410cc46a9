// Accept an invitation: by the token from its email (creating or activating the account) or, signed in, by ID.
// The membership, the invitation's new status and the audit rows commit together.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, notFound, type FieldProblem } from '../errors';
import type { RequestOrigin } from './actor';
import { claimUserForEmail } from './claim-email';
import { assertStillPending, effectiveStatus, inviterMayGrant } from './invitation-rules';
import { recordAudit } from '../../db/store/audit';
import { lockInvitation, settleInvitation, type InvitationRecord } from '../../db/store/invitations';
import { activeMemberPermissions, findMembership } from '../../db/store/members';
import { findRole } from '../../db/store/roles';
import { insertMembershipIfAbsent } from '../../db/store/members';
import { lockUserByEmail, setPassword } from '../../db/store/users';

export interface AcceptedInvitation {
  invitationId: string;
  workspaceId: string;
  userId: string;
}

const invalidToken = () =>
  new AppError('INVALID_TOKEN', 'the invitation link is unknown, used, revoked or expired');

/**
 * Re-checks the inviter's right to grant the role, adds the membership (an activation invitation of a
 * provisioned account already has it) and settles the invitation, with its audit rows.
 */
async function acceptLocked(
  tx: EntityManager,
  invitation: InvitationRecord,
  userId: string,
  origin: RequestOrigin & { via: 'token' | 'session'; activatingAccount: boolean },
): Promise<void> {
  const member = await findMembership(tx, invitation.workspace, userId);
  const activation = origin.activatingAccount && member?.role === invitation.role;
  if (!activation) {
    const granted = (await findRole(tx, invitation.workspace, invitation.role))?.permissions ?? [];
    const inviter = invitation.invitedBy
      ? await activeMemberPermissions(tx, invitation.workspace, invitation.invitedBy)
      : null;
    if (!inviterMayGrant(inviter, granted)) {
      throw new AppError(
        'FORBIDDEN',
        'the person who sent this invitation may no longer grant its role; ask for a new invitation',
      );
    }
    if (member) throw new AppError('CONFLICT', 'you are already a member of this workspace');
    await insertMembershipIfAbsent(tx, {
      id: randomUUID(),
      workspaceId: invitation.workspace,
      userId,
      roleId: invitation.role,
    });
  }
  await settleInvitation(tx, invitation.id, 'ACCEPTED', userId);
  const common = {
    tenantId: invitation.tenant,
    workspaceId: invitation.workspace,
    actorUserId: userId,
    ip: origin.ip,
    requestId: origin.requestId,
  };
  await recordAudit(tx, {
    ...common,
    action: 'invitation.accepted',
    targetType: 'invitation',
    targetId: invitation.id,
    data: { email: invitation.email, roleId: invitation.role, via: origin.via },
  });
  await recordAudit(tx, {
    ...common,
    action: activation ? 'member.activated' : 'member.added',
    targetType: 'user',
    targetId: userId,
    data: { roleId: invitation.role, via: 'invitation', invitationId: invitation.id },
  });
}

/**
 * Accepts by token. `name` and `passwordHash` are required when the email has no account yet or one that was
 * never activated (e.g. a provisioned partner admin); they are ignored otherwise.
 */
export async function acceptInvitationByToken(
  em: EntityManager,
  input: { tokenHash: string; name?: string; passwordHash: string | null },
  origin: RequestOrigin,
): Promise<AcceptedInvitation> {
  return em.transactional(async (tx) => {
    const invitation = await lockInvitation(tx, { tokenHash: input.tokenHash });
    if (!invitation || effectiveStatus(invitation.status, invitation.expiresAt, new Date()) !== 'PENDING') {
      throw invalidToken();
    }
    const user = await lockUserByEmail(tx, invitation.email);
    if (!user?.activated) {
      const errors: FieldProblem[] = [
        ...(input.name ? [] : [{ path: 'body.name', message: 'required to create your account' }]),
        ...(input.passwordHash
          ? []
          : [{ path: 'body.password', message: 'required to create your account' }]),
      ];
      if (errors.length)
        throw new AppError('VALIDATION_FAILED', 'name and password are required', { errors });
    }
    const userId = user?.id ?? randomUUID();
    if (!user) {
      const claim = await claimUserForEmail(tx, {
        id: userId,
        loginEmail: invitation.email,
        name: input.name!,
        passwordHash: input.passwordHash,
        activated: true,
      });
      if (claim === 'taken') throw invalidToken();
    } else if (!user.activated) {
      await setPassword(tx, userId, input.passwordHash!, input.name);
    }
    await acceptLocked(tx, invitation, userId, {
      ...origin,
      via: 'token',
      activatingAccount: Boolean(user && !user.activated),
    });
    return { invitationId: invitation.id, workspaceId: invitation.workspace, userId };
  });
}

/** Accepts, signed in, an invitation sent to the actor's login email. */
export async function acceptInvitationAsMember(
  em: EntityManager,
  input: { invitationId: string },
  actor: RequestOrigin & { userId: string; loginEmail: string },
): Promise<AcceptedInvitation> {
  return em.transactional(async (tx) => {
    const invitation = await lockInvitation(tx, { id: input.invitationId, email: actor.loginEmail });
    if (!invitation) throw notFound('invitation');
    assertStillPending(invitation, new Date());
    await acceptLocked(tx, invitation, actor.userId, { ...actor, via: 'session', activatingAccount: false });
    return { invitationId: invitation.id, workspaceId: invitation.workspace, userId: actor.userId };
  });
}
