// Record a password reset (the user's own request, or an admin's for a member): older pending resets of the
// user are superseded; the reset and its audit rows commit together. Its workflow mails the token.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestOrigin } from './actor';
import { recordAudit } from '../../db/store/audit';
import { insertPasswordReset, supersedePendingResets } from '../../db/store/password-resets';

export interface RequestPasswordResetInput {
  resetId: string;
  userId: string;
  /** The admin who asked for it; null for the user's own request. */
  requestedBy: string | null;
  workspaceId: string | null;
  /** Tenants whose audit log records the request (the admin's, or every tenant the user belongs to). */
  tenantIds: string[];
  ttlMs: number;
}

/** Returns the IDs of the resets it superseded (their workflows are told by the caller). */
export async function requestPasswordReset(
  em: EntityManager,
  input: RequestPasswordResetInput,
  origin: RequestOrigin,
): Promise<string[]> {
  return em.transactional(async (tx) => {
    const superseded = await supersedePendingResets(tx, input.userId);
    await insertPasswordReset(tx, {
      id: input.resetId,
      userId: input.userId,
      requestedBy: input.requestedBy,
      workspaceId: input.workspaceId,
      ttlMs: input.ttlMs,
    });
    for (const tenantId of input.tenantIds.length ? input.tenantIds : [null]) {
      await recordAudit(tx, {
        tenantId,
        workspaceId: input.workspaceId,
        actorUserId: input.requestedBy,
        action: 'password_reset.requested',
        targetType: 'user',
        targetId: input.userId,
        data: { resetId: input.resetId, byAdmin: input.requestedBy !== null },
        ...origin,
      });
    }
    return superseded;
  });
}
