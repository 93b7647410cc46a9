// The checks shared by the code commands: the partner is the tenant's and free to take a code; a code is free.
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, notFound } from '../errors';
import { generateReferralCode } from '../referral-codes';
import { oneCodePerPartner } from './rules';
import { lockOwner } from '../../db/store/workspace-owners';
import { findPartnerCode, referralCodeTaken } from '../../db/store/referrals';

/** 404 unless the partner belongs to the tenant; 409 when it already holds a code (one code per partner). */
export async function assertPartnerCanTakeCode(
  em: EntityManager,
  tenantId: string,
  partnerId: string,
  exceptCodeId?: string,
): Promise<void> {
  if (!(await lockOwner(em, 'partner', partnerId, tenantId))) throw notFound('partner');
  const refusal = oneCodePerPartner((await findPartnerCode(em, partnerId, exceptCodeId))?.code ?? null);
  if (refusal) throw new AppError('CONFLICT', refusal);
}

export async function assertCodeFree(em: EntityManager, code: string): Promise<void> {
  if (await referralCodeTaken(em, code)) {
    throw new AppError('CONFLICT', `the referral code ${code} is already in use`);
  }
}

/** A generated code no other row holds yet (the unique index still guards the insert). */
export async function freshReferralCode(em: EntityManager): Promise<string> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const code = generateReferralCode();
    if (!(await referralCodeTaken(em, code))) return code;
  }
  throw new Error('could not generate a free referral code');
}
