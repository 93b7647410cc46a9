// Set a new password with a reset's token: the reset is used, every session of the user revoked, audited.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestOrigin } from './actor';
import { recordAudit } from '../../db/store/audit';
import { tenantsOfUser } from '../../db/store/members';
import { lockUsableReset, markResetUsed } from '../../db/store/password-resets';
import { revokeSessions } from '../../db/store/sessions';
import { setPassword } from '../../db/store/users';

/** The used reset's ID, or null when the token is unknown, used or expired (nothing changes then). */
export async function completePasswordReset(
  em: EntityManager,
  input: { tokenHash: string; passwordHash: string },
  origin: RequestOrigin,
): Promise<string | null> {
  return em.transactional(async (tx) => {
    const reset = await lockUsableReset(tx, input.tokenHash);
    if (!reset) return null;
    await setPassword(tx, reset.user, input.passwordHash);
    await markResetUsed(tx, reset.id);
    const revoked = await revokeSessions(tx, { userId: reset.user });
    const tenants = await tenantsOfUser(tx, reset.user);
    for (const tenantId of tenants.length ? tenants : [null]) {
      await recordAudit(tx, {
        tenantId,
        actorUserId: reset.user,
        action: 'password_reset.completed',
        targetType: 'user',
        targetId: reset.user,
        data: { resetId: reset.id, sessionsRevoked: revoked },
        ...origin,
      });
    }
    return reset.id;
  });
}
