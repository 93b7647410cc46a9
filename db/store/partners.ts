// Reads and writes of partners and referral codes shared by the API handlers and the partner activities.
import type { EntityManager } from '@mikro-orm/postgresql';
import { generateReferralCode } from '../../domain/referral-codes';
import { pgTextArray } from '../sql';

/** A timestamp column as an ISO string with microseconds, so keyset cursors match rows exactly. */
export function cursorTimestamp(column: string): string {
  return `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

export type PartnerStatus = 'PROVISIONING' | 'ACTIVE' | 'FAILED' | 'SUSPENDED';

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
  const [row] = await em.execute<{ id: string }[]>('select id from partner where workspace_id = ?', [
    workspaceId,
  ]);
  return row?.id ?? null;
}

/** Lower-cased emails among `emails` already used by a user or by a partner that is not FAILED. */
export async function emailsInUse(em: EntityManager, emails: readonly string[]): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const lowered = pgTextArray(emails.map((e) => e.toLowerCase()));
  const rows = await em.execute<{ email: string }[]>(
    `select login_email as email from app_user where login_email = any(?::text[])
     union
     select lower(admin_email) from partner where lower(admin_email) = any(?::text[]) and status <> 'FAILED'`,
    [lowered, lowered],
  );
  return new Set(rows.map((r) => r.email));
}

export async function referralCodeTaken(em: EntityManager, code: string): Promise<boolean> {
  const rows = await em.execute('select 1 from referral_code where lower(code) = lower(?)', [code]);
  return rows.length > 0;
}

/** A generated code no other row holds yet (the unique index still guards the insert). */
export async function freshReferralCode(em: EntityManager): Promise<string> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const code = generateReferralCode();
    if (!(await referralCodeTaken(em, code))) return code;
  }
  throw new Error('could not generate a free referral code');
}
