// Give a PENDING password reset its single-use token (only the digest is stored).
import type { EntityManager } from '@mikro-orm/postgresql';
import { lockPasswordReset, setResetToken } from '../../db/store/password-resets';
import { findUser } from '../../db/store/users';

export type IssuedResetToken =
  { kind: 'issued'; loginEmail: string; name: string } | { kind: 'not-pending' } | { kind: 'missing' };

export async function issuePasswordResetToken(
  em: EntityManager,
  input: { resetId: string; tokenHash: string },
): Promise<IssuedResetToken> {
  return em.transactional(async (tx) => {
    const reset = await lockPasswordReset(tx, input.resetId);
    if (!reset) return { kind: 'missing' };
    if (reset.status !== 'PENDING') return { kind: 'not-pending' };
    await setResetToken(tx, reset.id, input.tokenHash);
    const user = (await findUser(tx, reset.user))!;
    return { kind: 'issued', loginEmail: user.loginEmail, name: user.name };
  });
}
