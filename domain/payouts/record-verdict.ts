// Use case: store a channel's verdict about a payout before anything acts on it (callback route, inquiry,
// reconciliation). One row per transfer and verdict, so a repeated verdict is counted, never applied twice.
import type { EntityManager } from '@mikro-orm/postgresql';
import { storeVerdict, type VerdictInput } from '../../db/store/payouts';

export async function recordChannelVerdict(
  em: EntityManager,
  input: VerdictInput,
): Promise<{ duplicate: boolean }> {
  return em.transactional((tx) => storeVerdict(tx, input));
}
