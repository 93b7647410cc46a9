// Compensation of assignPartnerReferralCode: removes the code (no consumer can use it before the partner is ACTIVE).
import type { EntityManager } from '@mikro-orm/postgresql';
import { deleteReferralCode } from '../../db/store/referrals';

export async function discardPartnerReferralCode(em: EntityManager, codeId: string): Promise<void> {
  await em.transactional((tx) => deleteReferralCode(tx, codeId));
}
