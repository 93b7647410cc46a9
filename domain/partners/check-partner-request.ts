// The early answer to a partner request: 409 when the admin email or the requested referral code is in use.
// (The unique indexes decide under concurrency; this gives the common case its answer before anything starts.)
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../errors';
import { assertEmailFree, emailTaken } from '../identity/claim-email';
import { partnerAdminEmailsInUse } from '../../db/store/partners';
import { referralCodeTaken } from '../../db/store/referrals';

export async function checkPartnerRequest(
  em: EntityManager,
  input: { adminEmail: string; referralCode?: string | null },
): Promise<void> {
  await assertEmailFree(em, input.adminEmail, 'CONFLICT');
  if ((await partnerAdminEmailsInUse(em, [input.adminEmail])).size > 0) {
    throw emailTaken(input.adminEmail, 'CONFLICT');
  }
  if (input.referralCode && (await referralCodeTaken(em, input.referralCode))) {
    throw new AppError('CONFLICT', `the referral code ${input.referralCode} is already in use`);
  }
}
