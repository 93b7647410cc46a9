// Turn MFA off: the password and a TOTP or recovery code are re-proved (throttled); the secret and recovery codes
// are deleted, the other sessions revoked, audited.
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditBy, type Actor } from './actor';
import { wrongCode, wrongCurrentPassword } from './account-errors';
import { assertNotThrottled, clearAccountFailures, recordFailure } from './throttle';
import { AppError } from '../errors';
import { verifyPassword } from '../passwords';
import { recordAudit } from '../../db/store/audit';
import { acceptSecondFactor, deleteRecoveryCodes, lockUserForMfa } from '../../db/store/mfa';
import { revokeSessions } from '../../db/store/sessions';
import { updateUserSecurity } from '../../db/store/users';

export async function disableMfa(
  em: EntityManager,
  input: { password: string; code: string; sessionId: string },
  actor: Actor,
  encryptionKey: string,
): Promise<void> {
  const throttle = { action: 'mfa', ip: actor.ip, account: actor.userId };
  await assertNotThrottled(em, throttle);
  const target = { type: 'user', id: actor.userId };
  const outcome = await em.transactional(async (tx) => {
    const user = await lockUserForMfa(tx, actor.userId);
    if (!user.mfa_enabled) throw new AppError('CONFLICT', 'MFA is not on');
    if (!user.password_hash || !(await verifyPassword(user.password_hash, input.password))) return 'password';
    const method = await acceptSecondFactor(tx, user, input.code, encryptionKey);
    if (!method) return 'code';
    await updateUserSecurity(tx, actor.userId, {
      mfaEnabled: false,
      totpSecretEnc: null,
      totpPendingSecretEnc: null,
      totpLastStep: null,
    });
    await deleteRecoveryCodes(tx, actor.userId);
    const revoked = await revokeSessions(tx, { userId: actor.userId, exceptSessionId: input.sessionId });
    if (method === 'recovery_code') await recordAudit(tx, auditBy(actor, 'auth.recovery_code_used', target));
    await recordAudit(
      tx,
      auditBy(actor, 'user.mfa_disabled', target, { revokedSessions: revoked, with: method }),
    );
    return 'ok';
  });
  if (outcome !== 'ok') {
    await recordFailure(em, throttle);
    throw outcome === 'password' ? wrongCurrentPassword() : wrongCode();
  }
  await clearAccountFailures(em, throttle);
}
