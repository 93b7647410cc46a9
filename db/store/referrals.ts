// The referral_code, consumer and referral tables: the only module that writes them. Listings are keyset SQL.
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { Consumer, Referral, ReferralCode, type ReferralCodeEntity } from '../entities/partners';
import { cursorTimestamp, keysetQuery } from '../keyset';

export type CodeStatus = 'ACTIVE' | 'INACTIVE';

export interface ReferralCodeView {
  id: string;
  code: string;
  partnerId: string | null;
  status: CodeStatus;
  createdAt: string;
  updatedAt: string;
}

export function referralCodeView(code: ReferralCodeEntity): ReferralCodeView {
  return {
    id: code.id,
    code: code.code,
    partnerId: code.partner ?? null,
    status: code.status as CodeStatus,
    createdAt: new Date(code.createdAt).toISOString(),
    updatedAt: new Date(code.updatedAt).toISOString(),
  };
}

export async function referralCodeTaken(em: EntityManager, code: string): Promise<boolean> {
  const rows = await em.execute('select 1 from referral_code where lower(code) = lower(?)', [code]);
  return rows.length > 0;
}

export function findReferralCodeById(em: EntityManager, id: string): Promise<ReferralCodeEntity | null> {
  return em.findOne(ReferralCode, { id });
}

/** The code a partner holds (at most one), optionally other than `exceptCodeId`. */
export function findPartnerCode(
  em: EntityManager,
  partnerId: string,
  exceptCodeId?: string,
): Promise<ReferralCodeEntity | null> {
  return em.findOne(ReferralCode, {
    partner: partnerId,
    ...(exceptCodeId ? { id: { $ne: exceptCodeId } } : {}),
  });
}

export function lockReferralCode(
  em: EntityManager,
  tenantId: string,
  id: string,
): Promise<ReferralCodeEntity | null> {
  return em.findOne(ReferralCode, { id, tenant: tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
}

export async function insertReferralCode(
  em: EntityManager,
  c: { id: string; tenantId: string; partnerId: string | null; code: string },
): Promise<ReferralCodeEntity> {
  const now = new Date();
  const created = em.create(ReferralCode, {
    id: c.id,
    tenant: c.tenantId,
    partner: c.partnerId,
    code: c.code,
    status: 'ACTIVE',
    createdAt: now,
    updatedAt: now,
  });
  await em.flush();
  return created;
}

export async function updateReferralCode(
  em: EntityManager,
  code: ReferralCodeEntity,
  changes: { status?: CodeStatus; code?: string; partner?: string | null },
): Promise<void> {
  em.assign(code, { ...changes, updatedAt: new Date() });
  await em.flush();
}

export async function deleteReferralCode(em: EntityManager, id: string): Promise<void> {
  await em.nativeDelete(ReferralCode, { id });
}

/** Newest first, keyset-paginated on (created_at, id); limit+1 rows, each with its cursor position. */
export async function listReferralCodes(
  em: EntityManager,
  f: {
    tenantId: string;
    partnerId?: string;
    status?: CodeStatus;
    after: { createdAt: string; id: string } | null;
    limit: number;
  },
): Promise<(ReferralCodeView & { cursorAt: string })[]> {
  const q = keysetQuery(
    `select id, code, partner_id, status, created_at, updated_at, ${cursorTimestamp('created_at')} as cursor_at
       from referral_code`,
    [
      ['tenant_id = ?', f.tenantId],
      f.partnerId && ['partner_id = ?', f.partnerId],
      f.status && ['status = ?', f.status],
    ],
    f,
  );
  const rows = await em.execute<
    {
      id: string;
      code: string;
      partner_id: string | null;
      status: CodeStatus;
      created_at: Date;
      updated_at: Date;
      cursor_at: string;
    }[]
  >(q.sql, q.params);
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    partnerId: r.partner_id,
    status: r.status,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    cursorAt: r.cursor_at,
  }));
}

export interface LiveCode {
  id: string;
  tenantId: string;
  partnerId: string | null;
}

/** The code if it exists, is ACTIVE and its partner (if any) is ACTIVE; locked so a deactivation waits for us. */
export async function lockLiveReferralCode(em: EntityManager, code: string): Promise<LiveCode | null> {
  const [row] = await em.execute<
    {
      id: string;
      tenant_id: string;
      partner_id: string | null;
      status: string;
      partner_status: string | null;
    }[]
  >(
    `select rc.id, rc.tenant_id, rc.partner_id, rc.status, p.status as partner_status
       from referral_code rc left join partner p on p.id = rc.partner_id
      where lower(rc.code) = lower(?) for share of rc`,
    [code],
  );
  if (!row || row.status !== 'ACTIVE') return null;
  if (row.partner_id && row.partner_status !== 'ACTIVE') return null;
  return { id: row.id, tenantId: row.tenant_id, partnerId: row.partner_id };
}

/** The consumer and its referral; 'taken' (nothing written) when the tenant has the email already. */
export async function insertConsumerWithReferral(
  em: EntityManager,
  c: {
    consumerId: string;
    referralId: string;
    code: LiveCode;
    email: string;
    name: string;
    passwordHash: string;
  },
): Promise<'created' | 'taken'> {
  if (await em.count(Consumer, { tenant: c.code.tenantId, email: c.email })) return 'taken';
  const now = new Date();
  em.create(Consumer, {
    id: c.consumerId,
    tenant: c.code.tenantId,
    email: c.email,
    name: c.name,
    passwordHash: c.passwordHash,
    createdAt: now,
  });
  em.create(Referral, {
    id: c.referralId,
    tenant: c.code.tenantId,
    consumer: c.consumerId,
    referralCode: c.code.id,
    partner: c.code.partnerId,
    registeredAt: now,
  });
  await em.flush();
  return 'created';
}

export interface ReferralView {
  id: string;
  consumerId: string;
  name: string;
  email: string;
  registeredAt: string;
  cursorAt: string;
}

/** A partner's referrals, newest first, keyset-paginated on (registered_at, id); fetches limit+1. */
export async function listReferrals(
  em: EntityManager,
  f: { partnerId: string; after: { createdAt: string; id: string } | null; limit: number },
): Promise<ReferralView[]> {
  const q = keysetQuery(
    `select r.id, r.consumer_id, c.name, c.email, r.registered_at, ${cursorTimestamp('r.registered_at')} as cursor_at
       from referral r join consumer c on c.id = r.consumer_id`,
    [['r.partner_id = ?', f.partnerId]],
    f,
    { time: 'r.registered_at', id: 'r.id' },
  );
  const rows = await em.execute<
    { id: string; consumer_id: string; name: string; email: string; registered_at: Date; cursor_at: string }[]
  >(q.sql, q.params);
  return rows.map((r) => ({
    id: r.id,
    consumerId: r.consumer_id,
    name: r.name,
    email: r.email,
    registeredAt: new Date(r.registered_at).toISOString(),
    cursorAt: r.cursor_at,
  }));
}

export function countReferrals(em: EntityManager, partnerId: string): Promise<number> {
  return em.count(Referral, { partner: partnerId });
}
