// Sign in with email and password: throttled, audited; answers a session to open or an MFA challenge.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestOrigin } from './actor';
import { MFA_CHALLENGE_TTL_MS, signedInUser, type SignInOutcome } from './sign-in-contract';
import { assertNotThrottled, clearAccountFailures, recordFailure } from './throttle';
import { burnPasswordCheck, verifyPassword } from '../passwords';
import { digest, newToken } from '../tokens';
import { recordAudit } from '../../db/store/audit';
import { pickSignInMembership } from '../../db/store/members';
import { insertMfaChallenge } from '../../db/store/mfa-challenges';
import { findSignInUser, type MfaUserRow } from '../../db/store/mfa';
import { updateUserSecurity } from '../../db/store/users';

export interface SignInInput {
  /** Lower-cased login email. */
  email: string;
  password: string;
  workspaceId?: string;
}

/** Spends the same time on an unknown, inactive or password-less account as on a real check. */
async function passwordMatches(user: MfaUserRow | null, password: string): Promise<boolean> {
  if (!user || !user.activated || !user.password_hash) return burnPasswordCheck(password);
  return verifyPassword(user.password_hash, password);
}

export async function signIn(
  em: EntityManager,
  input: SignInInput,
  origin: RequestOrigin,
): Promise<SignInOutcome> {
  const throttle = { action: 'login', ip: origin.ip, account: input.email };
  await assertNotThrottled(em, throttle);
  const user = await findSignInUser(em, input.email);
  const passwordOk = await passwordMatches(user, input.password);
  const membership = user && passwordOk ? await pickSignInMembership(em, user.id, input.workspaceId) : null;
  const audit = {
    tenantId: membership?.tenantId ?? null,
    workspaceId: membership?.workspaceId ?? null,
    actorUserId: user?.id ?? null,
    targetType: 'user',
    targetId: user?.id ?? null,
    ...origin,
  };
  if (!user || !passwordOk) {
    await em.transactional(async (tx) => {
      await recordFailure(tx, throttle);
      await recordAudit(tx, {
        ...audit,
        action: 'auth.login_failed',
        data: { email: input.email, reason: 'INVALID_CREDENTIALS' },
      });
    });
    return { kind: 'invalid' };
  }
  await clearAccountFailures(em, throttle);
  if (!membership?.usable) {
    await recordAudit(em, {
      ...audit,
      action: 'auth.login_failed',
      data: { email: input.email, reason: 'ACCOUNT_DISABLED' },
    });
    return { kind: 'disabled' };
  }
  if (user.mfa_enabled) {
    const mfaToken = newToken();
    await insertMfaChallenge(em, {
      tokenHash: digest(mfaToken),
      userId: user.id,
      workspaceId: membership.workspaceId,
      expiresAt: new Date(Date.now() + MFA_CHALLENGE_TTL_MS),
    });
    return { kind: 'mfa', mfaToken };
  }
  await em.transactional(async (tx) => {
    await updateUserSecurity(tx, user.id, { lastLoginAt: new Date() });
    await recordAudit(tx, { ...audit, action: 'auth.login', data: { mfa: false } });
  });
  return { kind: 'ok', user: signedInUser(user), membership };
}
