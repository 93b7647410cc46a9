// The idempotency_record table: one row per (scope, Idempotency-Key) with the request's fingerprint, the resource
// it stands for, and the refusal it got (so a repeated refused request is refused the same way).
import type { EntityManager } from '@mikro-orm/postgresql';
import { IdempotencyRecord } from '../entities/ledger';

export interface IdempotencyRow {
  requestHash: string;
  resourceId: string;
  refusalCode: string | null;
  refusalMessage: string | null;
}

/** Inserts the claim unless (scope, key) exists (safe under concurrency) and returns the row that holds it. */
export async function claimIdempotencyRecord(
  em: EntityManager,
  claim: { scope: string; key: string; fingerprint: string; resourceId: string },
): Promise<IdempotencyRow> {
  await em
    .createQueryBuilder(IdempotencyRecord)
    .insert({
      scope: claim.scope,
      key: claim.key,
      requestHash: claim.fingerprint,
      resourceId: claim.resourceId,
      createdAt: new Date(),
    })
    .onConflict(['scope', 'key'])
    .ignore()
    .execute();
  const row = await em.findOneOrFail(
    IdempotencyRecord,
    { scope: claim.scope, key: claim.key },
    { refresh: true, disableIdentityMap: true },
  );
  return {
    requestHash: row.requestHash,
    resourceId: row.resourceId,
    refusalCode: row.refusalCode ?? null,
    refusalMessage: row.refusalMessage ?? null,
  };
}

/** Remembers the refusal a claimed request got. */
export async function recordIdempotencyRefusal(
  em: EntityManager,
  scope: string,
  key: string,
  refusal: { code: string; message: string },
): Promise<void> {
  await em.nativeUpdate(
    IdempotencyRecord,
    { scope, key },
    { refusalCode: refusal.code, refusalMessage: refusal.message.slice(0, 500) },
  );
}
