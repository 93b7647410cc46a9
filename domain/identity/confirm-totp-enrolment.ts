// Confirm TOTP enrolment with a first code: MFA turns on, 10 recovery codes are issued (shown once), the other
// sessions are revoked; throttled, audited.
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditBy, type Actor } from './actor';
import { wrongCode } from './account-errors';
import { assertNotThrottled, clearAccountFailures, recordFailure } from './throttle';
import { AppError } from '../errors';
import { decryptSecret, newRecoveryCodes, recoveryCodeDigest, verifyTotp } from '../totp';
import { recordAudit } from '../../db/store/audit';
import { lockUserForMfa, replaceRecoveryCodes } from '../../db/store/mfa';
import { revokeSessions } from '../../db/store/sessions';
import { updateUserSecurity } from '../../db/store/users';

/** The new recovery codes. */
export async function confirmTotpEnrolment(
  em: EntityManager,
  input: { code: string; sessionId: string },
  actor: Actor,
  encryptionKey: string,
): Promise<string[]> {
  const throttle = { action: 'mfa', ip: actor.ip, account: actor.userId };
  await assertNotThrottled(em, throttle);
  const codes = await em.transactional(async (tx) => {
    const user = await lockUserForMfa(tx, actor.userId);
    const pendingSecret = user.totp_pending_secret_enc;
    if (user.mfa_enabled) throw new AppError('CONFLICT', 'MFA is already on');
    if (!pendingSecret) throw new AppError('CONFLICT', 'start an enrolment first (POST /v1/me/mfa/totp)');
    const lastStep = user.totp_last_step === null ? null : Number(user.totp_last_step);
    const step = await verifyTotp(decryptSecret(pendingSecret, encryptionKey), input.code, lastStep);
    if (step === null) return null;
    await updateUserSecurity(tx, actor.userId, {
      mfaEnabled: true,
      totpSecretEnc: pendingSecret,
      totpPendingSecretEnc: null,
      totpLastStep: step,
    });
    const recoveryCodes = newRecoveryCodes();
    await replaceRecoveryCodes(tx, actor.userId, recoveryCodes.map(recoveryCodeDigest));
    const revoked = await revokeSessions(tx, { userId: actor.userId, exceptSessionId: input.sessionId });
    await recordAudit(
      tx,
      auditBy(actor, 'user.mfa_enabled', { type: 'user', id: actor.userId }, { revokedSessions: revoked }),
    );
    return recoveryCodes;
  });
  if (!codes) {
    await recordFailure(em, throttle);
    throw wrongCode();
  }
  await clearAccountFailures(em, throttle);
  return codes;
}
