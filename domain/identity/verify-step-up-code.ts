// Command: a signed-in member proves possession of its second factor at the moment of paying (step-up MFA). Only
// a current TOTP code counts (a recovery code is refused), accepted once per time step like a login code (the
// user row is locked, so a replayed or parallel code is refused); throttled per account (a wrong or replayed code
// is a failure); the acceptance is audited.
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../../db/store/audit';
import { acceptSecondFactor, lockUserForMfa } from '../../db/store/mfa';
import { AppError } from '../errors';
import { TOTP_CODE_PATTERN } from '../totp';
import { auditBy, type Actor } from './actor';
import { assertNotThrottled, clearAccountFailures, recordFailure } from './throttle';

export const mfaRequired = () =>
  new AppError('MFA_REQUIRED', 'this workspace requires a current MFA code (header MFA-Code) for transfers');
export const invalidStepUpCode = () =>
  new AppError('INVALID_MFA_CODE', 'the MFA code is not valid (or was already used)', { status: 400 });

/**
 * Checks `code` for `actor`: missing, or a user without MFA, is MFA_REQUIRED (403); a wrong, replayed or
 * non-TOTP code is INVALID_MFA_CODE (400). Nothing else changes on a refusal.
 */
export async function verifyStepUpCode(
  em: EntityManager,
  input: { code: string | undefined; encryptionKey: string; purpose: string },
  actor: Actor,
): Promise<void> {
  const throttle = { action: 'step-up', ip: actor.ip, account: actor.userId };
  await assertNotThrottled(em, throttle);
  const verdict = await em.fork().transactional(async (tx) => {
    const user = await lockUserForMfa(tx, actor.userId);
    if (!user.mfa_enabled || !user.totp_secret_enc || !input.code) return 'MFA_REQUIRED' as const;
    if (!TOTP_CODE_PATTERN.test(input.code)) return 'INVALID' as const;
    if ((await acceptSecondFactor(tx, user, input.code, input.encryptionKey)) !== 'totp')
      return 'INVALID' as const;
    await recordAudit(
      tx,
      auditBy(actor, 'user.step_up_verified', { type: 'user', id: actor.userId }, { purpose: input.purpose }),
    );
    return 'OK' as const;
  });
  if (verdict === 'MFA_REQUIRED') throw mfaRequired();
  if (verdict === 'INVALID') {
    await recordFailure(em, throttle);
    throw invalidStepUpCode();
  }
  await clearAccountFailures(em, throttle);
}
