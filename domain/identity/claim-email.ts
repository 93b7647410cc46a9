// The one "email already used" rule: a login email belongs to at most one user, whoever creates it.
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../errors';
import { findUserByEmail, insertUserIfAbsent, loginEmailsHeld, type NewUser } from '../../db/store/users';

/** How a claim ended: a new user, the same user again (a retry), or the email belongs to another user. */
export type EmailClaim = 'created' | 'exists' | 'taken';

/** The refusal codes callers answer with today: EMAIL_TAKEN (members), CONFLICT (tenant/partner admins). */
export type EmailTakenCode = 'EMAIL_TAKEN' | 'CONFLICT';

export function emailTaken(email: string, code: EmailTakenCode = 'EMAIL_TAKEN'): AppError {
  return new AppError(code, `the email ${email} is already in use`);
}

/** Creates user `u.id` for `u.loginEmail` unless another user holds that email; nothing is written then. */
export function claimUserForEmail(em: EntityManager, u: NewUser): Promise<EmailClaim> {
  return insertUserIfAbsent(em, u);
}

/** Refuses an email some user already holds (a read-only early check; the claim decides under concurrency). */
export async function assertEmailFree(
  em: EntityManager,
  email: string,
  code: EmailTakenCode = 'EMAIL_TAKEN',
): Promise<void> {
  if (await findUserByEmail(em, email)) throw emailTaken(email, code);
}

/** The lower-cased emails among `emails` that already belong to a user (bulk validation). */
export function emailsTaken(em: EntityManager, emails: readonly string[]): Promise<Set<string>> {
  return loginEmailsHeld(em, emails);
}
