// The channel_product and fee_schedule tables: the only module that writes them (transfers read them).
import type { EntityManager } from '@mikro-orm/postgresql';
import { ChannelProduct, type ChannelProductEntity } from '../entities/channels';
import { FeeSchedule } from '../entities/ledger';

export interface FeeRuleRow {
  channelProductCode: string;
  currency: string;
  fixed: bigint;
  percentBps: number;
}

export interface ChannelProductWithFees {
  product: ChannelProductEntity;
  fees: FeeRuleRow[];
}

/** The tenant's products by code (optionally only these statuses), each with its fee rules by currency. */
export async function listChannelProducts(
  em: EntityManager,
  tenantId: string,
  statuses?: readonly string[],
): Promise<ChannelProductWithFees[]> {
  const products = await em.find(
    ChannelProduct,
    { tenant: tenantId, ...(statuses ? { status: { $in: [...statuses] } } : {}) },
    { orderBy: { code: 'asc' } },
  );
  const fees = await readFeeSchedule(em, tenantId);
  return products.map((product) => ({
    product,
    fees: fees.filter((f) => f.channelProductCode === product.code),
  }));
}

export function findChannelProductByCode(
  em: EntityManager,
  tenantId: string,
  code: string,
): Promise<ChannelProductEntity | null> {
  return em.findOne(ChannelProduct, { tenant: tenantId, code });
}

export async function insertChannelProduct(
  em: EntityManager,
  p: {
    id: string;
    tenantId: string;
    code: string;
    name: string;
    type: string;
    currencies: string[];
    minAmount: bigint | null;
    maxAmount: bigint | null;
  },
): Promise<ChannelProductEntity> {
  const product = em.create(ChannelProduct, {
    id: p.id,
    tenant: p.tenantId,
    code: p.code,
    name: p.name,
    type: p.type,
    currencies: p.currencies,
    status: 'ACTIVE',
    minAmount: p.minAmount,
    maxAmount: p.maxAmount,
    createdAt: new Date(),
  });
  await em.flush();
  return product;
}

export async function updateChannelProduct(
  em: EntityManager,
  product: ChannelProductEntity,
  changes: Partial<Pick<ChannelProductEntity, 'name' | 'status' | 'currencies' | 'minAmount' | 'maxAmount'>>,
): Promise<void> {
  em.assign(product, changes);
  await em.flush();
}

/** The codes among `codes` that the tenant has a product for. */
export async function existingProductCodes(
  em: EntityManager,
  tenantId: string,
  codes: readonly string[],
): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const found = await em.find(
    ChannelProduct,
    { tenant: tenantId, code: { $in: [...codes] } },
    { fields: ['code'] },
  );
  return new Set(found.map((p) => p.code));
}

/** The whole fee schedule by product code and currency. */
export async function readFeeSchedule(em: EntityManager, tenantId: string): Promise<FeeRuleRow[]> {
  const rows = await em.find(
    FeeSchedule,
    { tenant: tenantId },
    { orderBy: { channelProductCode: 'asc', currency: 'asc' } },
  );
  return rows.map((r) => ({
    channelProductCode: r.channelProductCode,
    currency: r.currency,
    fixed: BigInt(r.fixed),
    percentBps: Number(r.percentBps),
  }));
}

/** Replaces the tenant's fee schedule with `rules`. */
export async function replaceFeeSchedule(
  em: EntityManager,
  tenantId: string,
  rules: readonly FeeRuleRow[],
): Promise<void> {
  await em.nativeDelete(FeeSchedule, { tenant: tenantId });
  em.clear();
  const now = new Date();
  for (const r of rules) {
    em.create(FeeSchedule, {
      tenant: tenantId,
      channelProductCode: r.channelProductCode,
      currency: r.currency,
      fixed: r.fixed,
      percentBps: r.percentBps,
      updatedAt: now,
    });
  }
  await em.flush();
}

export async function deleteTenantChannelProducts(em: EntityManager, tenantId: string): Promise<void> {
  await em.nativeDelete(ChannelProduct, { tenant: tenantId });
}

/** A channel product with no currencies yet, ACTIVE, unless the tenant has its code already. */
export async function insertChannelProductIfAbsent(
  em: EntityManager,
  p: { id: string; tenantId: string; code: string; name: string; type: string },
): Promise<void> {
  await em.execute(
    `insert into channel_product (id, tenant_id, code, name, type, currencies, status, created_at)
     values (?, ?, ?, ?, ?, '{}', 'ACTIVE', now()) on conflict (tenant_id, code) do nothing`,
    [p.id, p.tenantId, p.code, p.name, p.type],
  );
}
