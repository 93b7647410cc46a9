// The merchant and merchant_application tables: the only module that writes them. Views are hand-written keyset
// SQL (a merchant's wallets joined in); writes go through the EntityManager.
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import type {
  MerchantApplicationStatus,
  MerchantApplicationView,
  MerchantStatus,
  MerchantView,
} from '../../domain/merchants/contract';
import {
  Merchant,
  MerchantApplication,
  type MerchantApplicationEntity,
  type MerchantEntity,
} from '../entities/merchants';
import { cursorTimestamp } from './partners';

export interface PageAfter {
  createdAt: string;
  id: string;
}

interface ApplicationRow {
  id: string;
  status: MerchantApplicationStatus;
  business_name: string;
  contact_name: string;
  email: string;
  country: string;
  website: string | null;
  currencies: string[];
  merchant_id: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  reason: string | null;
  created_at: Date;
  cursor_at: string;
}

const SELECT_APPLICATIONS = `
  select a.id, a.status, a.business_name, a.contact_name, a.email, a.country, a.website, a.currencies,
         a.merchant_id, a.decided_by, a.decided_at, a.reason, a.created_at,
         ${cursorTimestamp('a.created_at')} as cursor_at
    from merchant_application a`;

function applicationView(row: ApplicationRow): MerchantApplicationView {
  return {
    id: row.id,
    status: row.status,
    businessName: row.business_name,
    contactName: row.contact_name,
    email: row.email,
    country: row.country,
    website: row.website,
    currencies: row.currencies,
    merchantId: row.merchant_id,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at ? new Date(row.decided_at).toISOString() : null,
    reason: row.reason,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** An application of this tenant, or null (another tenant's included). */
export async function findApplication(
  em: EntityManager,
  tenantId: string,
  applicationId: string,
): Promise<MerchantApplicationView | null> {
  const [row] = await em.execute<ApplicationRow[]>(
    `${SELECT_APPLICATIONS} where a.id = ? and a.tenant_id = ?`,
    [applicationId, tenantId],
  );
  return row ? applicationView(row) : null;
}

/** Newest first, keyset-paginated on (created_at, id); fetches limit+1 rows, each with its cursor position. */
export async function listApplications(
  em: EntityManager,
  f: { tenantId: string; status?: string; after?: PageAfter | null; limit: number },
): Promise<{ id: string; createdAt: string; view: MerchantApplicationView }[]> {
  const where = ['a.tenant_id = ?'];
  const params: unknown[] = [f.tenantId];
  if (f.status) {
    where.push('a.status = ?');
    params.push(f.status);
  }
  if (f.after) {
    where.push('(a.created_at, a.id) < (?::timestamptz, ?::uuid)');
    params.push(f.after.createdAt, f.after.id);
  }
  params.push(f.limit + 1);
  const rows = await em.execute<ApplicationRow[]>(
    `${SELECT_APPLICATIONS} where ${where.join(' and ')} order by a.created_at desc, a.id desc limit ?`,
    params,
  );
  return rows.map((row) => ({ id: row.id, createdAt: row.cursor_at, view: applicationView(row) }));
}

export interface NewApplication {
  id: string;
  tenantId: string;
  businessName: string;
  contactName: string;
  email: string;
  country: string;
  website: string | null;
  currencies: string[];
}

/** Writes the application SUBMITTED unless it exists (a retried step); 'exists' then. */
export async function insertApplication(em: EntityManager, a: NewApplication): Promise<'created' | 'exists'> {
  if (await em.findOne(MerchantApplication, { id: a.id }, { fields: ['id'] })) return 'exists';
  const now = new Date();
  em.create(MerchantApplication, {
    id: a.id,
    tenant: a.tenantId,
    status: 'SUBMITTED',
    businessName: a.businessName,
    contactName: a.contactName,
    email: a.email.toLowerCase(),
    country: a.country,
    website: a.website,
    currencies: a.currencies,
    createdAt: now,
    updatedAt: now,
  });
  await em.flush();
  return 'created';
}

/** The application row locked for a decision; null when it is not this tenant's (or none, without a tenant). */
export function lockApplication(
  em: EntityManager,
  applicationId: string,
  tenantId?: string,
): Promise<MerchantApplicationEntity | null> {
  return em.findOne(
    MerchantApplication,
    tenantId ? { id: applicationId, tenant: tenantId } : { id: applicationId },
    { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
  );
}

export async function updateApplication(
  em: EntityManager,
  application: MerchantApplicationEntity,
  changes: Partial<
    Pick<MerchantApplicationEntity, 'status' | 'merchant' | 'decidedBy' | 'decidedAt' | 'reason'>
  >,
): Promise<void> {
  em.assign(application, { ...changes, updatedAt: new Date() });
  await em.flush();
}

interface MerchantRow {
  id: string;
  name: string;
  status: MerchantStatus;
  workspace_id: string | null;
  admin_user_id: string | null;
  admin_email: string;
  application_id: string | null;
  failure_reason: string | null;
  created_at: Date;
  cursor_at: string;
  wallets: { id: string; currency: string }[] | null;
}

const SELECT_MERCHANTS = `
  select m.id, m.name, m.status, m.workspace_id, m.admin_user_id, m.admin_email, m.failure_reason, m.created_at,
         ${cursorTimestamp('m.created_at')} as cursor_at,
         (select a.id from merchant_application a where a.merchant_id = m.id) as application_id,
         (select coalesce(json_agg(json_build_object('id', w.id, 'currency', w.currency) order by w.currency), '[]')
            from wallet w where w.workspace_id = m.workspace_id) as wallets
    from merchant m`;

function merchantView(row: MerchantRow): MerchantView {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    workspaceId: row.workspace_id,
    adminUserId: row.admin_user_id,
    adminEmail: row.admin_email,
    applicationId: row.application_id,
    wallets: row.wallets ?? [],
    failureReason: row.failure_reason,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** A merchant of this tenant with its wallets, or null (another tenant's merchant included). */
export async function findMerchant(
  em: EntityManager,
  tenantId: string,
  merchantId: string,
): Promise<MerchantView | null> {
  const [row] = await em.execute<MerchantRow[]>(`${SELECT_MERCHANTS} where m.id = ? and m.tenant_id = ?`, [
    merchantId,
    tenantId,
  ]);
  return row ? merchantView(row) : null;
}

/** Newest first, keyset-paginated on (created_at, id); fetches limit+1 rows. */
export async function listMerchants(
  em: EntityManager,
  f: { tenantId: string; status?: string; after?: PageAfter | null; limit: number },
): Promise<{ id: string; createdAt: string; view: MerchantView }[]> {
  const where = ['m.tenant_id = ?'];
  const params: unknown[] = [f.tenantId];
  if (f.status) {
    where.push('m.status = ?');
    params.push(f.status);
  }
  if (f.after) {
    where.push('(m.created_at, m.id) < (?::timestamptz, ?::uuid)');
    params.push(f.after.createdAt, f.after.id);
  }
  params.push(f.limit + 1);
  const rows = await em.execute<MerchantRow[]>(
    `${SELECT_MERCHANTS} where ${where.join(' and ')} order by m.created_at desc, m.id desc limit ?`,
    params,
  );
  return rows.map((row) => ({ id: row.id, createdAt: row.cursor_at, view: merchantView(row) }));
}

/** Writes the merchant PROVISIONING unless it exists (a retried step). */
export async function insertMerchant(
  em: EntityManager,
  m: { id: string; tenantId: string; name: string; adminEmail: string; currencies: string[] },
): Promise<void> {
  if (await em.findOne(Merchant, { id: m.id }, { fields: ['id'] })) return;
  const now = new Date();
  em.create(Merchant, {
    id: m.id,
    tenant: m.tenantId,
    name: m.name,
    status: 'PROVISIONING',
    adminEmail: m.adminEmail.toLowerCase(),
    currencies: m.currencies,
    createdAt: now,
    updatedAt: now,
  });
  await em.flush();
}

/** The merchant row locked for a state change; null when it is not this tenant's (or none, without a tenant). */
export function lockMerchant(
  em: EntityManager,
  merchantId: string,
  tenantId?: string,
): Promise<MerchantEntity | null> {
  return em.findOne(Merchant, tenantId ? { id: merchantId, tenant: tenantId } : { id: merchantId }, {
    lockMode: LockMode.PESSIMISTIC_WRITE,
    refresh: true,
  });
}

export async function updateMerchant(
  em: EntityManager,
  merchant: MerchantEntity,
  changes: Partial<Pick<MerchantEntity, 'status' | 'workspace' | 'adminUser' | 'failureReason'>>,
): Promise<void> {
  em.assign(merchant, { ...changes, updatedAt: new Date() });
  await em.flush();
}
