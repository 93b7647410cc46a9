// Pending second steps of MFA sign-ins: the only code that reads and writes `mfa_challenge`.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { MfaChallenge } from '../entities/security';

export interface LiveChallenge {
  id: string;
  userId: string;
  workspaceId: string;
  attempts: number;
}

export async function insertMfaChallenge(
  em: EntityManager,
  c: { tokenHash: string; userId: string; workspaceId: string; expiresAt: Date },
): Promise<void> {
  await em.insert(MfaChallenge, {
    id: randomUUID(),
    tokenHash: c.tokenHash,
    user: c.userId,
    workspace: c.workspaceId,
    attempts: 0,
    expiresAt: c.expiresAt,
    createdAt: new Date(),
  });
}

/** The user a challenge belongs to, even a used or expired one (so its back-off applies to every attempt). */
export async function challengeOwner(em: EntityManager, tokenHash: string): Promise<string | null> {
  const row = await em.findOne(MfaChallenge, { tokenHash }, { fields: ['user'], refresh: true });
  return row?.user ?? null;
}

/** The unused, unexpired challenge for this token, row-locked; null otherwise. */
export async function lockLiveChallenge(tx: EntityManager, tokenHash: string): Promise<LiveChallenge | null> {
  const row = await tx.findOne(
    MfaChallenge,
    { tokenHash, usedAt: null, expiresAt: { $gt: new Date() } },
    { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
  );
  return row ? { id: row.id, userId: row.user, workspaceId: row.workspace, attempts: row.attempts } : null;
}

/** Counts a wrong code; the challenge is used up at `maxAttempts`. */
export async function countChallengeFailure(
  tx: EntityManager,
  challenge: LiveChallenge,
  maxAttempts: number,
): Promise<void> {
  const attempts = challenge.attempts + 1;
  await tx.nativeUpdate(
    MfaChallenge,
    { id: challenge.id },
    { attempts, usedAt: attempts >= maxAttempts ? new Date() : null },
  );
}

export async function markChallengeUsed(tx: EntityManager, challengeId: string): Promise<void> {
  await tx.nativeUpdate(MfaChallenge, { id: challengeId }, { usedAt: new Date() });
}

/** Deletes up to `limit` challenges (used or not) that expired before `before`; answers how many. */
export async function deleteExpiredMfaChallenges(
  em: EntityManager,
  before: Date,
  limit: number,
): Promise<number> {
  const res = await em.execute<{ affectedRows: number }>(
    `delete from mfa_challenge where id in (select id from mfa_challenge where expires_at < ? limit ?)`,
    [before, limit],
    'run',
  );
  return res.affectedRows;
}
