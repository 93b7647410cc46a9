// Expire a still-PENDING password reset at the end of its lifetime (its token digest is dropped).
import type { EntityManager } from '@mikro-orm/postgresql';
import { expireResetIfPending } from '../../db/store/password-resets';

export async function expirePasswordReset(em: EntityManager, input: { resetId: string }): Promise<void> {
  await em.transactional((tx) => expireResetIfPending(tx, input.resetId));
}
