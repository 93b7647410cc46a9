// Payment channel products (rails) a tenant offers to its partners.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Tenant } from './tenancy';

export const ChannelProduct = defineEntity({
  name: 'ChannelProduct',
  tableName: 'channel_product',
  properties: {
    id: p.uuid().primary(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    code: p.string().length(50),
    name: p.string().length(200),
    type: p.string().length(30),
    /** Empty means every currency. */
    currencies: p.array().defaultRaw("'{}'"),
    status: p.string().length(20).default('ACTIVE'),
    minAmount: p.bigint('bigint').nullable(),
    maxAmount: p.bigint('bigint').nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ properties: ['tenant', 'code'] }],
});

export type ChannelProductEntity = InferEntity<typeof ChannelProduct>;
