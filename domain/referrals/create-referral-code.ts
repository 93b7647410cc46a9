// A tenant admin gives a partner its referral code (the requested one, or a generated one).
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditBy, type Actor } from '../identity/actor';
import { assertCodeFree, assertPartnerCanTakeCode, freshReferralCode } from './partner-code-checks';
import { recordAudit } from '../../db/store/audit';
import { insertReferralCode, referralCodeView, type ReferralCodeView } from '../../db/store/referrals';

export async function createReferralCode(
  em: EntityManager,
  input: { tenantId: string; partnerId: string; code?: string },
  actor: Actor,
): Promise<ReferralCodeView> {
  return em.transactional(async (tx) => {
    await assertPartnerCanTakeCode(tx, input.tenantId, input.partnerId);
    const code = input.code ?? (await freshReferralCode(tx));
    await assertCodeFree(tx, code);
    const created = await insertReferralCode(tx, {
      id: randomUUID(),
      tenantId: input.tenantId,
      partnerId: input.partnerId,
      code,
    });
    await recordAudit(
      tx,
      auditBy(
        actor,
        'referral_code.created',
        { type: 'referral_code', id: created.id },
        { code, partnerId: input.partnerId },
      ),
    );
    return referralCodeView(created);
  });
}
