// The partner table: the only module that writes it. Reads of a partner's view (with wallets and code) are
// hand-written keyset SQL; writes go through the EntityManager.
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import type { PartnerStatus } from '../../domain/partners/contract';
import { Partner, type PartnerEntity } from '../entities/partners';

export type { PartnerStatus };

/** A timestamp column as an ISO string with microseconds, so keyset cursors match rows exactly. */
export function cursorTimestamp(column: string): string {
  return `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

export interface PartnerView {
  id: string;
  name: string;
  status: PartnerStatus;
  workspaceId: string | null;
  adminUserId: string | null;
  adminEmail: string;
  wallets: { id: string; currency: string }[];
  referralCode: string | null;
  failureReason: string | null;
  createdAt: string;
}

interface PartnerRow {
  id: string;
  tenant_id: string;
  name: string;
  status: PartnerStatus;
  workspace_id: string | null;
  admin_user_id: string | null;
  admin_email: string;
  failure_reason: string | null;
  created_at: Date;
  cursor_at: string;
  referral_code: string | null;
  wallets: { id: string; currency: string }[] | null;
}

const SELECT_PARTNERS = `
  select p.id, p.tenant_id, p.name, p.status, p.workspace_id, p.admin_user_id, p.admin_email, p.failure_reason,
         p.created_at, ${cursorTimestamp('p.created_at')} as cursor_at, rc.code as referral_code,
         (select coalesce(json_agg(json_build_object('id', w.id, 'currency', w.currency) order by w.currency), '[]')
            from wallet w where w.workspace_id = p.workspace_id) as wallets
    from partner p
    left join referral_code rc on rc.partner_id = p.id`;

function toView(row: PartnerRow): PartnerView {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    workspaceId: row.workspace_id,
    adminUserId: row.admin_user_id,
    adminEmail: row.admin_email,
    wallets: row.wallets ?? [],
    referralCode: row.referral_code,
    failureReason: row.failure_reason,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** A partner of this tenant with its wallets and referral code, or null (another tenant's partner included). */
export async function findPartner(
  em: EntityManager,
  tenantId: string,
  partnerId: string,
): Promise<PartnerView | null> {
  const [row] = await em.execute<PartnerRow[]>(`${SELECT_PARTNERS} where p.id = ? and p.tenant_id = ?`, [
    partnerId,
    tenantId,
  ]);
  return row ? toView(row) : null;
}

export interface PartnerFilter {
  tenantId: string;
  status?: string;
  name?: string;
  after?: { createdAt: string; id: string } | null;
  limit: number;
}

/** Newest first, keyset-paginated on (created_at, id); fetches limit+1 rows, each with its cursor position. */
export async function listPartners(
  em: EntityManager,
  f: PartnerFilter,
): Promise<{ id: string; createdAt: string; view: PartnerView }[]> {
  const where = ['p.tenant_id = ?'];
  const params: unknown[] = [f.tenantId];
  if (f.status) {
    where.push('p.status = ?');
    params.push(f.status);
  }
  if (f.name) {
    where.push(`p.name ilike ? escape '\\'`);
    params.push(`%${f.name.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
  }
  if (f.after) {
    where.push('(p.created_at, p.id) < (?::timestamptz, ?::uuid)');
    params.push(f.after.createdAt, f.after.id);
  }
  params.push(f.limit + 1);
  const rows = await em.execute<PartnerRow[]>(
    `${SELECT_PARTNERS} where ${where.join(' and ')} order by p.created_at desc, p.id desc limit ?`,
    params,
  );
  return rows.map((row) => ({ id: row.id, createdAt: row.cursor_at, view: toView(row) }));
}

/** The partner whose workspace this is (a partner member's own partner), or null. */
export async function findPartnerIdByWorkspace(
  em: EntityManager,
  workspaceId: string,
): Promise<string | null> {
  const partner = await em.findOne(Partner, { workspace: workspaceId }, { fields: ['id'] });
  return partner?.id ?? null;
}

/** Lower-cased emails among `emails` that a partner which is not FAILED holds as its admin email. */
export async function partnerAdminEmailsInUse(
  em: EntityManager,
  emails: readonly string[],
): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const lowered = [...new Set(emails.map((e) => e.toLowerCase()))];
  const partners = await em.find(
    Partner,
    { adminEmail: { $in: lowered }, status: { $ne: 'FAILED' } },
    { fields: ['adminEmail'] },
  );
  return new Set(partners.map((p) => p.adminEmail.toLowerCase()));
}

export interface NewPartner {
  id: string;
  tenantId: string;
  name: string;
  adminEmail: string;
  adminName: string;
  currencies: string[];
}

/** Writes the partner PROVISIONING unless it exists (a retried step); 'exists' then. */
export async function insertPartner(em: EntityManager, p: NewPartner): Promise<'created' | 'exists'> {
  if (await em.findOne(Partner, { id: p.id }, { fields: ['id'] })) return 'exists';
  const now = new Date();
  em.create(Partner, {
    id: p.id,
    tenant: p.tenantId,
    name: p.name,
    status: 'PROVISIONING',
    adminEmail: p.adminEmail.toLowerCase(),
    adminName: p.adminName,
    currencies: p.currencies,
    createdAt: now,
    updatedAt: now,
  });
  await em.flush();
  return 'created';
}

/** The partner row locked for a state change; null when it is not this tenant's (or none, without a tenant). */
export function lockPartner(
  em: EntityManager,
  partnerId: string,
  tenantId?: string,
): Promise<PartnerEntity | null> {
  return em.findOne(Partner, tenantId ? { id: partnerId, tenant: tenantId } : { id: partnerId }, {
    lockMode: LockMode.PESSIMISTIC_WRITE,
  });
}

/** Applies `changes` to a loaded partner and writes them. */
export async function updatePartner(
  em: EntityManager,
  partner: PartnerEntity,
  changes: Partial<Pick<PartnerEntity, 'status' | 'workspace' | 'adminUser' | 'failureReason'>>,
): Promise<void> {
  em.assign(partner, { ...changes, updatedAt: new Date() });
  await em.flush();
}
