// Start TOTP enrolment: a new secret is parked (encrypted) until its first code confirms it; MFA stays off.
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditBy, type Actor } from './actor';
import { AppError } from '../errors';
import { encryptSecret, newTotpSecret } from '../totp';
import { recordAudit } from '../../db/store/audit';
import { lockUserForMfa } from '../../db/store/mfa';
import { updateUserSecurity } from '../../db/store/users';

/** The new secret, to be shown once. */
export async function startTotpEnrolment(
  em: EntityManager,
  actor: Actor,
  encryptionKey: string,
): Promise<string> {
  const secret = newTotpSecret();
  const encrypted = encryptSecret(secret, encryptionKey);
  await em.transactional(async (tx) => {
    const user = await lockUserForMfa(tx, actor.userId);
    if (user.mfa_enabled) throw new AppError('CONFLICT', 'MFA is already on; disable it first');
    await updateUserSecurity(tx, actor.userId, { totpPendingSecretEnc: encrypted });
    await recordAudit(tx, auditBy(actor, 'user.mfa_enrolment_started', { type: 'user', id: actor.userId }));
  });
  return secret;
}
