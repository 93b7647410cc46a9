// Invite an email to the actor's workspace with a role: the PENDING row and its audit row commit together.
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, notFound } from '../errors';
import { notHeldBy } from '../roles';
import { auditBy, type Actor } from './actor';
import { recordAudit } from '../../db/store/audit';
import {
  expireStaleInvitations,
  findInvitationView,
  hasPendingInvitation,
  insertInvitation,
} from '../../db/store/invitations';
import { isMemberByEmail } from '../../db/store/members';
import { findRole } from '../../db/store/roles';
import { recordEvent } from '../events/record-event';
import { invitationView } from './invitation-view';

export interface CreateInvitationInput {
  invitationId: string;
  email: string;
  roleId: string;
  ttlMs: number;
}

/**
 * The refusals of an invitation: the role must be the workspace's (404) and hold only permissions the actor
 * holds (403); the email must not be a member (409) nor have a PENDING invitation that has not expired (409).
 */
export async function assertInvitable(
  em: EntityManager,
  input: Pick<CreateInvitationInput, 'email' | 'roleId'>,
  actor: Actor,
): Promise<void> {
  const role = await findRole(em, actor.workspaceId, input.roleId);
  if (!role) throw notFound('role');
  const missing = notHeldBy(actor.permissions, role.permissions);
  if (missing.length) {
    throw new AppError('FORBIDDEN', `you cannot grant permissions you do not hold: ${missing.join(', ')}`);
  }
  if (await isMemberByEmail(em, actor.workspaceId, input.email)) {
    throw new AppError('CONFLICT', `${input.email} is already a member of this workspace`);
  }
  if (await hasPendingInvitation(em, actor.workspaceId, input.email)) {
    throw new AppError('CONFLICT', `${input.email} already has a pending invitation`);
  }
}

/** Records the invitation (its workflow, already started by the caller, issues and mails the token). */
export async function createInvitation(
  em: EntityManager,
  input: CreateInvitationInput,
  actor: Actor,
): Promise<void> {
  await em.transactional(async (tx) => {
    // A pending invitation past its expiry no longer blocks a new one.
    await expireStaleInvitations(tx, actor.workspaceId, input.email);
    await assertInvitable(tx, input, actor);
    await insertInvitation(tx, {
      id: input.invitationId,
      tenantId: actor.tenantId,
      workspaceId: actor.workspaceId,
      email: input.email,
      roleId: input.roleId,
      invitedBy: actor.userId,
      ttlMs: input.ttlMs,
    });
    await recordAudit(
      tx,
      auditBy(
        actor,
        'invitation.created',
        { type: 'invitation', id: input.invitationId },
        {
          email: input.email,
          roleId: input.roleId,
        },
      ),
    );
    const view = await findInvitationView(tx, { id: input.invitationId, workspaceId: actor.workspaceId });
    if (view) {
      await recordEvent(tx, {
        type: 'member.invited',
        tenantId: actor.tenantId,
        workspaceId: actor.workspaceId,
        data: invitationView(view),
        key: `member.invited:${input.invitationId}`,
      });
    }
  });
}
