// Partners provisioned by a tenant, their referral codes, the consumers who registered with them and bulk onboarding.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Tenant, Workspace } from './tenancy';
import { workspaceOwnerProperties } from './workspace-owner';

/** A partner (channel operator), a workspace owner; its workspace and admin exist once provisioning got that far. */
export const Partner = defineEntity({
  name: 'Partner',
  tableName: 'partner',
  properties: {
    ...workspaceOwnerProperties(),
    adminName: p.string().length(200),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ properties: ['tenant', 'createdAt', 'id'] }],
  uniques: [
    {
      name: 'partner_admin_email_live_unique',
      expression:
        'create unique index "partner_admin_email_live_unique" on "partner" (lower("admin_email")) where "status" <> \'FAILED\'',
    },
  ],
});

/** A referral code; codes are unique case-insensitively across the installation, at most one per partner. */
export const ReferralCode = defineEntity({
  name: 'ReferralCode',
  tableName: 'referral_code',
  properties: {
    id: p.uuid().primary(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    partner: p.manyToOne(Partner).mapToPk().nullable(),
    code: p.string().length(32),
    /** ACTIVE or INACTIVE. */
    status: p.string().length(20).default('ACTIVE'),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ properties: ['tenant', 'createdAt', 'id'] }],
  uniques: [
    {
      name: 'referral_code_code_unique',
      expression: 'create unique index "referral_code_code_unique" on "referral_code" (lower("code"))',
    },
    {
      name: 'referral_code_partner_unique',
      expression:
        'create unique index "referral_code_partner_unique" on "referral_code" ("partner_id") where "partner_id" is not null',
    },
  ],
});

/** A consumer who registered with a referral code; the email is unique per tenant (stored lower-case). */
export const Consumer = defineEntity({
  name: 'Consumer',
  tableName: 'consumer',
  properties: {
    id: p.uuid().primary(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    email: p.string().length(320),
    name: p.string().length(200),
    passwordHash: p.string().length(255).hidden(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ properties: ['tenant', 'email'] }],
});

/** Which code (and so which partner) a consumer registered with. */
export const Referral = defineEntity({
  name: 'Referral',
  tableName: 'referral',
  properties: {
    id: p.uuid().primary(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    consumer: p.manyToOne(Consumer).mapToPk().unique(),
    referralCode: p.manyToOne(ReferralCode).mapToPk().index(),
    partner: p.manyToOne(Partner).mapToPk().nullable(),
    registeredAt: p.datetime(3).onCreate(() => new Date()),
  },
  indexes: [{ properties: ['partner', 'registeredAt', 'id'] }],
});

/** A bulk onboarding request; RUNNING, COMPLETED or CANCELLED. */
export const OnboardingBatch = defineEntity({
  name: 'OnboardingBatch',
  tableName: 'onboarding_batch',
  properties: {
    id: p.uuid().primary(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    workspace: p.manyToOne(Workspace).mapToPk(),
    createdBy: p.uuid().nullable(),
    status: p.string().length(20).default('RUNNING'),
    total: p.integer(),
    createdAt: p.datetime().onCreate(() => new Date()),
    completedAt: p.datetime().nullable(),
  },
  indexes: [{ properties: ['tenant', 'createdAt', 'id'] }],
});

/** One input row of a batch: PENDING, RUNNING, SUCCEEDED, FAILED or SKIPPED. */
export const OnboardingBatchRow = defineEntity({
  name: 'OnboardingBatchRow',
  tableName: 'onboarding_batch_row',
  properties: {
    batch: p.manyToOne(OnboardingBatch).mapToPk().primary().deleteRule('cascade'),
    rowNumber: p.integer().primary(),
    input: p.json<Record<string, unknown>>(),
    status: p.string().length(20).default('PENDING'),
    partner: p.manyToOne(Partner).mapToPk().nullable(),
    error: p.string().length(1000).nullable(),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ properties: ['batch', 'status', 'rowNumber'] }],
});

export type PartnerEntity = InferEntity<typeof Partner>;
export type ReferralCodeEntity = InferEntity<typeof ReferralCode>;
export type ConsumerEntity = InferEntity<typeof Consumer>;
export type ReferralEntity = InferEntity<typeof Referral>;
export type OnboardingBatchEntity = InferEntity<typeof OnboardingBatch>;
export type OnboardingBatchRowEntity = InferEntity<typeof OnboardingBatchRow>;
