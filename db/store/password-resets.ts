// The messaging store for password resets: the only code that reads and writes the `password_reset` table.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { PasswordReset, type PasswordResetEntity } from '../entities/messaging';

export type PasswordResetRecord = PasswordResetEntity;

/** Marks the user's PENDING resets SUPERSEDED (their tokens die); returns their IDs. */
export async function supersedePendingResets(tx: EntityManager, userId: string): Promise<string[]> {
  const pending = await tx.find(
    PasswordReset,
    { user: userId, status: 'PENDING' },
    { lockMode: LockMode.PESSIMISTIC_WRITE, fields: ['id'], refresh: true },
  );
  if (pending.length) {
    await tx.nativeUpdate(
      PasswordReset,
      { id: { $in: pending.map((r) => r.id) } },
      { status: 'SUPERSEDED', tokenHash: null },
    );
  }
  return pending.map((r) => r.id);
}

export async function insertPasswordReset(
  tx: EntityManager,
  r: { id: string; userId: string; requestedBy: string | null; workspaceId: string | null; ttlMs: number },
): Promise<void> {
  const now = new Date();
  await tx.insert(PasswordReset, {
    id: r.id,
    user: r.userId,
    tokenHash: null,
    status: 'PENDING',
    requestedBy: r.requestedBy,
    workspaceId: r.workspaceId,
    expiresAt: new Date(now.getTime() + r.ttlMs),
    createdAt: now,
  });
}

/** The PENDING, unexpired reset holding this token digest, row-locked. */
export function lockUsableReset(tx: EntityManager, tokenHash: string): Promise<PasswordResetRecord | null> {
  return tx.findOne(
    PasswordReset,
    { tokenHash, status: 'PENDING', expiresAt: { $gt: new Date() } },
    { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
  );
}

export function lockPasswordReset(tx: EntityManager, id: string): Promise<PasswordResetRecord | null> {
  return tx.findOne(PasswordReset, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

export async function markResetUsed(tx: EntityManager, id: string): Promise<void> {
  await tx.nativeUpdate(PasswordReset, { id }, { status: 'USED', usedAt: new Date(), tokenHash: null });
}

export async function setResetToken(tx: EntityManager, id: string, tokenHash: string): Promise<void> {
  await tx.nativeUpdate(PasswordReset, { id }, { tokenHash });
}

export async function expireResetIfPending(em: EntityManager, id: string): Promise<void> {
  await em.nativeUpdate(PasswordReset, { id, status: 'PENDING' }, { status: 'EXPIRED', tokenHash: null });
}

/** Deletes up to `limit` resets (any status: their tokens are dead) that expired before `before`. */
export async function deleteSpentPasswordResets(
  em: EntityManager,
  before: Date,
  limit: number,
): Promise<number> {
  const res = await em.execute<{ affectedRows: number }>(
    `delete from password_reset where id in (select id from password_reset where expires_at < ? limit ?)`,
    [before, limit],
    'run',
  );
  return res.affectedRows;
}
