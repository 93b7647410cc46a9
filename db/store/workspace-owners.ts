// The workspace owners' tables, `partner` and `merchant`: the only module that writes them. A partner and a
// merchant are the same lifecycle (domain/tenancy/workspace-owner.ts), so one insert, lock, update and view
// serve both, parameterised by kind. Views are hand-written keyset SQL (wallets joined in); writes go through
// the EntityManager.
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import type { MerchantView } from '../../domain/merchants/contract';
import type { PartnerStatus } from '../../domain/partners/contract';
import type { OwnerKind, OwnerStatus } from '../../domain/tenancy/workspace-owner';
import { Merchant, type MerchantEntity } from '../entities/merchants';
import { Partner, type PartnerEntity } from '../entities/partners';
import { cursorTimestamp, keysetQuery, type KeysetPage } from '../keyset';

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

export type OwnerView<K extends OwnerKind> = K extends 'partner' ? PartnerView : MerchantView;
export type OwnerEntity = PartnerEntity | MerchantEntity;

/** Both owner entities have the same lifecycle columns; one is named here for the EntityManager's types. */
const ENTITIES = { partner: Partner, merchant: Merchant } as unknown as Record<OwnerKind, typeof Partner>;

export interface KeysetFilter extends KeysetPage {
  tenantId: string;
  status?: string;
  /** A case-insensitive substring of the name. */
  name?: string;
}

/** Rows of `select` (its table aliased `alias`) of the tenant with the filters, newest first (db/keyset.ts). */
export function keysetRows<R>(
  em: EntityManager,
  select: string,
  alias: string,
  f: KeysetFilter,
): Promise<R[]> {
  const { sql, params } = keysetQuery(
    select,
    [
      [`${alias}.tenant_id = ?`, f.tenantId],
      f.status && [`${alias}.status = ?`, f.status],
      f.name && [`${alias}.name ilike ? escape '\\'`, `%${f.name.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`],
    ],
    f,
    { time: `${alias}.created_at`, id: `${alias}.id` },
  );
  return em.execute<R[]>(sql, params);
}

interface OwnerRow {
  id: string;
  name: string;
  status: OwnerStatus;
  workspace_id: string | null;
  admin_user_id: string | null;
  admin_email: string;
  failure_reason: string | null;
  created_at: Date;
  cursor_at: string;
  wallets: { id: string; currency: string }[] | null;
  referral_code?: string | null;
  application_id?: string | null;
}

/** The view's query of a kind: the common columns, the kind's own one, its wallets. */
function selectOwners(table: OwnerKind, own: string, join = ''): string {
  return `
  select o.id, o.name, o.status, o.workspace_id, o.admin_user_id, o.admin_email, o.failure_reason, o.created_at,
         ${cursorTimestamp('o.created_at')} as cursor_at, ${own},
         (select coalesce(json_agg(json_build_object('id', w.id, 'currency', w.currency) order by w.currency), '[]')
            from wallet w where w.workspace_id = o.workspace_id) as wallets
    from ${table} o ${join}`;
}

const SELECT_OWNERS: Record<OwnerKind, string> = {
  partner: selectOwners(
    'partner',
    'rc.code as referral_code',
    'left join referral_code rc on rc.partner_id = o.id',
  ),
  merchant: selectOwners(
    'merchant',
    '(select a.id from merchant_application a where a.merchant_id = o.id) as application_id',
  ),
};

function toView<K extends OwnerKind>(kind: K, row: OwnerRow): OwnerView<K> {
  const head = {
    id: row.id,
    name: row.name,
    status: row.status,
    workspaceId: row.workspace_id,
    adminUserId: row.admin_user_id,
    adminEmail: row.admin_email,
  };
  const wallets = row.wallets ?? [];
  const tail = { failureReason: row.failure_reason, createdAt: new Date(row.created_at).toISOString() };
  const view =
    kind === 'partner'
      ? { ...head, wallets, referralCode: row.referral_code ?? null, ...tail }
      : { ...head, applicationId: row.application_id ?? null, wallets, ...tail };
  return view as OwnerView<K>;
}

/** An owner of this tenant with its wallets (a partner with its referral code), or null (another tenant's too). */
export async function findOwner<K extends OwnerKind>(
  em: EntityManager,
  kind: K,
  tenantId: string,
  id: string,
): Promise<OwnerView<K> | null> {
  const [row] = await em.execute<OwnerRow[]>(`${SELECT_OWNERS[kind]} where o.id = ? and o.tenant_id = ?`, [
    id,
    tenantId,
  ]);
  return row ? toView(kind, row) : null;
}

/** Newest first, keyset-paginated on (created_at, id); limit+1 rows, each with its cursor position. */
export async function listOwners<K extends OwnerKind>(
  em: EntityManager,
  kind: K,
  f: KeysetFilter,
): Promise<{ id: string; createdAt: string; view: OwnerView<K> }[]> {
  const rows = await keysetRows<OwnerRow>(em, SELECT_OWNERS[kind], 'o', f);
  return rows.map((row) => ({ id: row.id, createdAt: row.cursor_at, view: toView(kind, row) }));
}

export interface NewOwner {
  id: string;
  tenantId: string;
  name: string;
  adminEmail: string;
  currencies: string[];
  /** Partners only. */
  adminName?: string;
}

/** Writes the owner PROVISIONING unless it exists (a retried step); 'exists' then. */
export async function insertOwner(
  em: EntityManager,
  kind: OwnerKind,
  o: NewOwner,
): Promise<'created' | 'exists'> {
  if (await em.findOne(ENTITIES[kind], { id: o.id }, { fields: ['id'] })) return 'exists';
  const now = new Date();
  em.create(ENTITIES[kind], {
    id: o.id,
    tenant: o.tenantId,
    name: o.name,
    status: 'PROVISIONING',
    adminEmail: o.adminEmail.toLowerCase(),
    ...(o.adminName === undefined ? {} : { adminName: o.adminName }),
    currencies: o.currencies,
    createdAt: now,
    updatedAt: now,
  } as PartnerEntity);
  await em.flush();
  return 'created';
}

/** The owner row locked for a state change; null when it is not this tenant's (or none, without a tenant). */
export function lockOwner(
  em: EntityManager,
  kind: OwnerKind,
  id: string,
  tenantId?: string,
): Promise<OwnerEntity | null> {
  return em.findOne(ENTITIES[kind], tenantId ? { id, tenant: tenantId } : { id }, {
    lockMode: LockMode.PESSIMISTIC_WRITE,
    refresh: true,
  });
}

/** Applies `changes` to a loaded owner and writes them. */
export async function updateOwner(
  em: EntityManager,
  owner: OwnerEntity,
  changes: Partial<Pick<OwnerEntity, 'status' | 'workspace' | 'adminUser' | 'failureReason'>>,
): Promise<void> {
  em.assign(owner, { ...changes, updatedAt: new Date() });
  await em.flush();
}
