// The second step of a sign-in: a TOTP code (each time step once) or an unused recovery code; throttled,
// audited, and a challenge is used up after MFA_MAX_ATTEMPTS wrong codes.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestOrigin } from './actor';
import { MFA_MAX_ATTEMPTS, signedInUser, type SignInOutcome } from './sign-in-contract';
import { assertNotThrottled, clearAccountFailures, recordFailure } from './throttle';
import { digest } from '../tokens';
import { recordAudit } from '../../db/store/audit';
import { pickSignInMembership } from '../../db/store/members';
import {
  challengeOwner,
  countChallengeFailure,
  lockLiveChallenge,
  markChallengeUsed,
} from '../../db/store/mfa-challenges';
import { acceptSecondFactor, lockUserForMfa } from '../../db/store/mfa';
import { updateUserSecurity } from '../../db/store/users';

type MfaStep = Exclude<SignInOutcome, { kind: 'mfa' }> | { kind: 'wrong'; userId: string | null };

async function checkCode(
  em: EntityManager,
  input: { mfaToken: string; code: string },
  origin: RequestOrigin,
  encryptionKey: string,
): Promise<MfaStep> {
  return em.transactional(async (tx): Promise<MfaStep> => {
    const challenge = await lockLiveChallenge(tx, digest(input.mfaToken));
    if (!challenge) return { kind: 'wrong', userId: null };
    const user = await lockUserForMfa(tx, challenge.userId);
    const membership = await pickSignInMembership(tx, user.id, challenge.workspaceId);
    const audit = {
      tenantId: membership?.tenantId ?? null,
      workspaceId: challenge.workspaceId,
      actorUserId: user.id,
      targetType: 'user',
      targetId: user.id,
      ...origin,
    };
    const method = user.mfa_enabled ? await acceptSecondFactor(tx, user, input.code, encryptionKey) : null;
    if (!method) {
      await countChallengeFailure(tx, challenge, MFA_MAX_ATTEMPTS);
      await recordAudit(tx, { ...audit, action: 'auth.login_failed', data: { reason: 'INVALID_MFA_CODE' } });
      return { kind: 'wrong', userId: user.id };
    }
    await markChallengeUsed(tx, challenge.id);
    if (method === 'recovery_code') await recordAudit(tx, { ...audit, action: 'auth.recovery_code_used' });
    if (!membership?.usable) {
      await recordAudit(tx, { ...audit, action: 'auth.login_failed', data: { reason: 'ACCOUNT_DISABLED' } });
      return { kind: 'disabled' };
    }
    await updateUserSecurity(tx, user.id, { lastLoginAt: new Date() });
    await recordAudit(tx, { ...audit, action: 'auth.login', data: { mfa: method } });
    return { kind: 'ok', user: signedInUser(user), membership };
  });
}

export async function completeMfaSignIn(
  em: EntityManager,
  input: { mfaToken: string; code: string },
  origin: RequestOrigin,
  encryptionKey: string,
): Promise<Exclude<SignInOutcome, { kind: 'mfa' }>> {
  const owner = await challengeOwner(em, digest(input.mfaToken));
  await assertNotThrottled(em, { action: 'mfa', ip: origin.ip, account: owner });
  const step = await checkCode(em, input, origin, encryptionKey);
  if (step.kind === 'wrong') {
    await recordFailure(em, { action: 'mfa', ip: origin.ip, account: step.userId });
    return { kind: 'invalid' };
  }
  if (step.kind === 'ok') await clearAccountFailures(em, { action: 'mfa', ip: null, account: step.user.id });
  return step;
}
