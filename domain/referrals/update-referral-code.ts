// A tenant admin activates, deactivates, changes or reassigns a referral code.
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditBy, type Actor } from '../identity/actor';
import { notFound } from '../errors';
import { assertCodeFree, assertPartnerCanTakeCode } from './partner-code-checks';
import { isCodeChange } from './rules';
import { recordAudit } from '../../db/store/audit';
import {
  lockReferralCode,
  referralCodeView,
  updateReferralCode as writeReferralCode,
  type CodeStatus,
  type ReferralCodeView,
} from '../../db/store/referrals';

export interface ReferralCodeChanges {
  status?: CodeStatus;
  code?: string;
  /** null: the code belongs to no partner. */
  partnerId?: string | null;
}

export async function updateReferralCode(
  em: EntityManager,
  input: { tenantId: string; codeId: string; changes: ReferralCodeChanges },
  actor: Actor,
): Promise<ReferralCodeView> {
  const { changes } = input;
  return em.transactional(async (tx) => {
    const current = await lockReferralCode(tx, input.tenantId, input.codeId);
    if (!current) throw notFound('referral code');
    const before = referralCodeView(current);
    if (changes.partnerId) await assertPartnerCanTakeCode(tx, input.tenantId, changes.partnerId, current.id);
    if (isCodeChange(current.code, changes.code)) await assertCodeFree(tx, changes.code);
    await writeReferralCode(tx, current, {
      ...(changes.status ? { status: changes.status } : {}),
      ...(changes.code ? { code: changes.code } : {}),
      ...(changes.partnerId !== undefined ? { partner: changes.partnerId } : {}),
    });
    const after = referralCodeView(current);
    await recordAudit(
      tx,
      auditBy(
        actor,
        'referral_code.updated',
        { type: 'referral_code', id: current.id },
        {
          before: { code: before.code, status: before.status, partnerId: before.partnerId },
          after: { code: after.code, status: after.status, partnerId: after.partnerId },
        },
      ),
    );
    return after;
  });
}
