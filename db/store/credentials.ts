// The pending_credential table: a tenant admin's password hash parked for the provisioning workflow, so the hash
// never travels through Temporal. The only module that writes it.
import type { EntityManager } from '@mikro-orm/postgresql';
import { PendingCredential } from '../entities/identity';

export async function parkCredential(
  em: EntityManager,
  c: { id: string; passwordHash: string; expiresAt: Date },
): Promise<void> {
  em.create(PendingCredential, { ...c, createdAt: new Date() });
  await em.flush();
}

/** The parked hash, or null when it was used or has been removed. */
export async function findParkedHash(em: EntityManager, id: string): Promise<string | null> {
  return (await em.findOne(PendingCredential, { id }))?.passwordHash ?? null;
}

export async function deleteParkedCredential(em: EntityManager, id: string): Promise<void> {
  await em.nativeDelete(PendingCredential, { id });
}

/** Deletes up to `limit` parked hashes no workflow picked up before they expired (before `before`). */
export async function deleteExpiredCredentials(
  em: EntityManager,
  before: Date,
  limit: number,
): Promise<number> {
  const res = await em.execute<{ affectedRows: number }>(
    `delete from pending_credential where id in (select id from pending_credential where expires_at < ? limit ?)`,
    [before, limit],
    'run',
  );
  return res.affectedRows;
}
