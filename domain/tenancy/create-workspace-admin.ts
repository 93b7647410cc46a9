// Makes a user the admin of a new workspace: claims the email through the one email rule, adds the membership.
// With a parked credential the user is active with that password; without, it waits for its activation invitation.
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../errors';
import { claimUserForEmail, emailTaken } from '../identity/claim-email';
import { recordAudit } from '../../db/store/audit';
import { deleteParkedCredential, findParkedHash } from '../../db/store/credentials';
import { insertMembership } from '../../db/store/tenancy';
import { findUserByEmail } from '../../db/store/users';

export interface CreateWorkspaceAdminInput {
  key: string;
  tenantId: string;
  workspaceId: string;
  roleId: string;
  userId: string;
  membershipId: string;
  email: string;
  name: string;
  /** The parked password of an admin who chose it at creation (tenant admins); none: not activated yet. */
  credentialId?: string;
  /** Which provisioning created the admin (audit). */
  via: string;
}

/** The parked hash; when it is gone the user was created by an earlier try of this step, or it expired. */
async function parkedPassword(em: EntityManager, input: CreateWorkspaceAdminInput): Promise<string | null> {
  if (!input.credentialId) return null;
  const hash = await findParkedHash(em, input.credentialId);
  if (hash) return hash;
  if ((await findUserByEmail(em, input.email))?.id === input.userId) return null;
  throw new AppError('VALIDATION_FAILED', 'the admin credential has expired');
}

export async function createWorkspaceAdmin(
  em: EntityManager,
  input: CreateWorkspaceAdminInput,
): Promise<void> {
  await em.transactional(async (tx) => {
    const passwordHash = await parkedPassword(tx, input);
    const claim = await claimUserForEmail(tx, {
      id: input.userId,
      loginEmail: input.email,
      name: input.name,
      passwordHash,
      activated: passwordHash !== null,
    });
    if (claim === 'taken') throw emailTaken(input.email, 'CONFLICT');
    if (claim === 'created') {
      await recordAudit(tx, {
        tenantId: input.tenantId,
        workspaceId: input.workspaceId,
        action: 'member.added',
        targetType: 'user',
        targetId: input.userId,
        data: { key: input.key, roleId: input.roleId, via: input.via },
      });
    }
    await insertMembership(tx, {
      id: input.membershipId,
      workspaceId: input.workspaceId,
      userId: input.userId,
      roleId: input.roleId,
    });
    if (input.credentialId) await deleteParkedCredential(tx, input.credentialId);
  });
}
