// Merchant onboarding applications decided by a tenant, and the merchants an approval provisions.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Tenant } from './tenancy';
import { workspaceOwnerProperties } from './workspace-owner';

/** A merchant that an approved application provisions; its workspace and admin exist once provisioning got there. */
export const Merchant = defineEntity({
  name: 'Merchant',
  tableName: 'merchant',
  properties: {
    ...workspaceOwnerProperties(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ properties: ['tenant', 'createdAt', 'id'] }],
});

/** A public onboarding application: SUBMITTED until the tenant approves or rejects it, or it EXPIRES. */
export const MerchantApplication = defineEntity({
  name: 'MerchantApplication',
  tableName: 'merchant_application',
  properties: {
    id: p.uuid().primary(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    /** SUBMITTED, APPROVED, REJECTED or EXPIRED. */
    status: p.string().length(20).default('SUBMITTED'),
    businessName: p.string().length(200),
    contactName: p.string().length(200),
    email: p.string().length(320),
    country: p.string().length(2),
    website: p.string().length(500).nullable(),
    currencies: p.array().defaultRaw("'{}'"),
    merchant: p.manyToOne(Merchant).mapToPk().nullable().unique(),
    decidedBy: p.uuid().nullable(),
    decidedAt: p.datetime().nullable(),
    reason: p.string().length(1000).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [
    { properties: ['tenant', 'createdAt', 'id'] },
    { properties: ['tenant', 'status', 'createdAt', 'id'] },
  ],
});

export type MerchantEntity = InferEntity<typeof Merchant>;
export type MerchantApplicationEntity = InferEntity<typeof MerchantApplication>;
