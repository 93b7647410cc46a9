// The merchant_application table: the only module that writes it (the merchant row itself is a workspace owner,
// db/store/workspace-owners.ts). Views are hand-written keyset SQL; writes go through the EntityManager.
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import type {
  MerchantApplicationFields,
  MerchantApplicationStatus,
  MerchantApplicationView,
} from '../../domain/merchants/contract';
import { MerchantApplication, type MerchantApplicationEntity } from '../entities/merchants';
import { cursorTimestamp } from '../keyset';
import { keysetRows, type KeysetFilter } from './workspace-owners';

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
  f: KeysetFilter,
): Promise<{ id: string; createdAt: string; view: MerchantApplicationView }[]> {
  const rows = await keysetRows<ApplicationRow>(em, SELECT_APPLICATIONS, 'a', f);
  return rows.map((row) => ({ id: row.id, createdAt: row.cursor_at, view: applicationView(row) }));
}

export type NewApplication = MerchantApplicationFields & { id: string; tenantId: string };

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
