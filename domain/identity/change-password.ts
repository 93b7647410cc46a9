// A signed-in user changes its password: the current one is re-proved (throttled), the other sessions are
// revoked, audited.
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditBy, type Actor } from './actor';
import { wrongCurrentPassword } from './account-errors';
import { assertNotThrottled, clearAccountFailures, recordFailure } from './throttle';
import { AppError } from '../errors';
import { hashPassword, verifyPassword } from '../passwords';
import { recordAudit } from '../../db/store/audit';
import { lockUserForMfa } from '../../db/store/mfa';
import { revokeSessions } from '../../db/store/sessions';
import { setPassword } from '../../db/store/users';

export async function changePassword(
  em: EntityManager,
  input: { currentPassword: string; newPassword: string; sessionId: string },
  actor: Actor,
): Promise<void> {
  const throttle = { action: 'password-change', ip: actor.ip, account: actor.userId };
  await assertNotThrottled(em, throttle);
  if (input.newPassword === input.currentPassword) {
    throw new AppError('VALIDATION_FAILED', 'the new password must differ from the current one', {
      errors: [{ path: 'body.newPassword', message: 'must differ from the current password' }],
    });
  }
  const newHash = await hashPassword(input.newPassword);
  const changed = await em.transactional(async (tx) => {
    const user = await lockUserForMfa(tx, actor.userId);
    if (!user.password_hash || !(await verifyPassword(user.password_hash, input.currentPassword)))
      return false;
    await setPassword(tx, actor.userId, newHash);
    const revoked = await revokeSessions(tx, { userId: actor.userId, exceptSessionId: input.sessionId });
    await recordAudit(
      tx,
      auditBy(
        actor,
        'user.password_changed',
        { type: 'user', id: actor.userId },
        { revokedSessions: revoked },
      ),
    );
    return true;
  });
  if (!changed) {
    await recordFailure(em, throttle);
    throw wrongCurrentPassword();
  }
  await clearAccountFailures(em, throttle);
}
