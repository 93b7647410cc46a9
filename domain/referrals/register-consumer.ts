// A consumer registers with a partner's referral code: consumer and referral commit together. The refusal
// (INVALID_REFERRAL_CODE or EMAIL_TAKEN) is returned, not thrown, so the caller can count it for throttling.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../errors';
import { hashPassword } from '../passwords';
import { insertConsumerWithReferral, lockLiveReferralCode } from '../../db/store/referrals';
import { isUniqueViolation } from '../../db/sql';

const emailTaken = () => new AppError('EMAIL_TAKEN', 'this email is already registered');

export async function registerConsumer(
  em: EntityManager,
  input: { referralCode: string; email: string; name: string; password: string },
): Promise<{ consumerId: string } | { refusal: AppError }> {
  const passwordHash = await hashPassword(input.password);
  const consumerId = randomUUID();
  try {
    const refusal = await em.transactional(async (tx): Promise<AppError | null> => {
      const code = await lockLiveReferralCode(tx, input.referralCode);
      if (!code) return new AppError('INVALID_REFERRAL_CODE', 'the referral code is unknown or inactive');
      const outcome = await insertConsumerWithReferral(tx, {
        consumerId,
        referralId: randomUUID(),
        code,
        email: input.email,
        name: input.name,
        passwordHash,
      });
      return outcome === 'taken' ? emailTaken() : null;
    });
    return refusal ? { refusal } : { consumerId };
  } catch (err) {
    if (isUniqueViolation(err)) return { refusal: emailTaken() };
    throw err;
  }
}
