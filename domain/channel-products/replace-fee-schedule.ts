// A tenant admin replaces the whole fee schedule; every rule must name one of the tenant's channel products.
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditBy, type Actor } from '../identity/actor';
import { AppError } from '../errors';
import { unknownProductProblems } from './rules';
import { recordAudit } from '../../db/store/audit';
import {
  existingProductCodes,
  readFeeSchedule,
  replaceFeeSchedule as writeFeeSchedule,
  type FeeRuleRow,
} from '../../db/store/channel-products';

export interface FeeRuleInput {
  channelProductCode: string;
  currency: string;
  fixed: number;
  percentBps: number;
}

const auditable = (rules: FeeRuleRow[]) => rules.map((r) => ({ ...r, fixed: Number(r.fixed) }));

export async function replaceFeeSchedule(
  em: EntityManager,
  input: { tenantId: string; rules: FeeRuleInput[] },
  actor: Actor,
): Promise<FeeRuleRow[]> {
  return em.transactional(async (tx) => {
    const codes = input.rules.map((r) => r.channelProductCode);
    const { unknown, problems } = unknownProductProblems(
      input.rules,
      await existingProductCodes(tx, input.tenantId, codes),
    );
    if (unknown.length) {
      throw new AppError('VALIDATION_FAILED', `unknown channel product ${unknown.join(', ')}`, {
        errors: problems,
      });
    }
    const before = await readFeeSchedule(tx, input.tenantId);
    await writeFeeSchedule(
      tx,
      input.tenantId,
      input.rules.map((r) => ({ ...r, fixed: BigInt(r.fixed) })),
    );
    await recordAudit(
      tx,
      auditBy(
        actor,
        'fees.updated',
        { type: 'fee_schedule', id: input.tenantId },
        { before: auditable(before), after: input.rules },
      ),
    );
    return readFeeSchedule(tx, input.tenantId);
  });
}
