// Provisioning step: the partner's referral code, the requested one (CONFLICT when taken) or a generated one.
// Idempotent by code ID: a retried step returns the code it assigned before.
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../errors';
import { generateReferralCode } from '../referral-codes';
import { assertCodeFree } from './partner-code-checks';
import { recordAudit } from '../../db/store/audit';
import { findReferralCodeById, insertReferralCode } from '../../db/store/referrals';
import { isUniqueViolation } from '../../db/sql';

const GENERATION_ATTEMPTS = 10;

async function assignOnce(
  em: EntityManager,
  input: { key: string; tenantId: string; partnerId: string; codeId: string },
  code: string,
  requested: boolean,
): Promise<string> {
  return em.transactional(async (tx) => {
    const existing = await findReferralCodeById(tx, input.codeId);
    if (existing) return existing.code;
    if (requested) await assertCodeFree(tx, code);
    await insertReferralCode(tx, {
      id: input.codeId,
      tenantId: input.tenantId,
      partnerId: input.partnerId,
      code,
    });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      action: 'referral_code.created',
      targetType: 'referral_code',
      targetId: input.codeId,
      data: { key: input.key, code, partnerId: input.partnerId },
    });
    return code;
  });
}

export async function assignPartnerReferralCode(
  em: EntityManager,
  input: { key: string; tenantId: string; partnerId: string; codeId: string; code: string | null },
): Promise<string> {
  for (let attempt = 0; attempt < GENERATION_ATTEMPTS; attempt++) {
    const code = input.code ?? generateReferralCode();
    try {
      return await assignOnce(em.fork({ keepTransactionContext: true }), input, code, input.code !== null);
    } catch (err) {
      if (!isUniqueViolation(err, 'referral_code_code_unique')) throw err;
      if (input.code) throw new AppError('CONFLICT', `the referral code ${code} is already in use`);
    }
  }
  throw new Error('could not generate a free referral code');
}
