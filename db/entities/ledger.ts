// Wallets, the double-entry ledger (accounts, two-phase transactions, entries), transfers, fees, idempotency.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Tenant, Workspace } from './tenancy';

export const Wallet = defineEntity({
  name: 'Wallet',
  tableName: 'wallet',
  properties: {
    id: p.uuid().primary(),
    tenant: p.manyToOne(Tenant).mapToPk().index(),
    workspace: p.manyToOne(Workspace).mapToPk().index(),
    currency: p.string().length(3),
    name: p.string().length(200),
    /** ACTIVE or FROZEN (a frozen wallet cannot send money). */
    status: p.string().length(20).default('ACTIVE'),
    /** Null means no limit (the default). */
    limitPerTransfer: p.bigint('bigint').nullable(),
    limitDaily: p.bigint('bigint').nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  checks: [
    { name: 'wallet_status_check', expression: `"status" in ('ACTIVE', 'FROZEN')` },
    {
      name: 'wallet_limits_check',
      expression: 'coalesce("limit_per_transfer", 1) > 0 and coalesce("limit_daily", 1) > 0',
    },
  ],
});

/**
 * The highest balance an account can reach (posted + incoming holds) and the lowest (posted - outgoing holds)
 * stay within 2^53-1 minor units, the API's amount range. Checked when a hold is placed, so posting a held
 * amount never trips it. A violation is answered 422 LIMIT_EXCEEDED (db/errors.ts).
 */
export const LEDGER_ACCOUNT_BALANCE_RANGE =
  'credits_posted + credits_pending - debits_posted <= 9007199254740991' +
  ' and debits_posted + debits_pending - credits_posted <= 9007199254740991';

/** A wallet's account or a system account (FUNDING, FEE_REVENUE, SETTLEMENT:<channel>) per tenant and currency. */
export const LedgerAccount = defineEntity({
  name: 'LedgerAccount',
  tableName: 'ledger_account',
  properties: {
    id: p.uuid().primary(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    currency: p.string().length(3),
    kind: p.string().length(30),
    wallet: p.oneToOne(Wallet).mapToPk().owner().nullable().unique().deleteRule('no action'),
    systemKey: p.string().length(100).nullable(),
    debitsPosted: p.bigint('bigint').defaultRaw('0'),
    creditsPosted: p.bigint('bigint').defaultRaw('0'),
    debitsPending: p.bigint('bigint').defaultRaw('0'),
    creditsPending: p.bigint('bigint').defaultRaw('0'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ properties: ['tenant', 'currency', 'systemKey'] }],
  checks: [
    {
      name: 'ledger_account_counters_check',
      expression:
        '"debits_posted" >= 0 and "credits_posted" >= 0 and "debits_pending" >= 0 and "credits_pending" >= 0',
    },
    {
      name: 'ledger_account_wallet_available_check',
      expression: `"kind" <> 'WALLET' or "credits_posted" - "debits_posted" - "debits_pending" >= 0`,
    },
    {
      name: 'ledger_account_owner_check',
      expression: `("kind" = 'WALLET') = ("wallet_id" is not null) and ("kind" = 'WALLET') = ("system_key" is null)`,
    },
    { name: 'ledger_account_balance_range', expression: LEDGER_ACCOUNT_BALANCE_RANGE },
  ],
});

/** PENDING (funds held), then POSTED or VOIDED exactly once; unique per (operation, step). */
export const LedgerTransaction = defineEntity({
  name: 'LedgerTransaction',
  tableName: 'ledger_transaction',
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    currency: p.string().length(3),
    operationId: p.string().length(200),
    step: p.string().length(50),
    status: p.string().length(10),
    transferId: p.uuid().nullable().index(),
    depositId: p.uuid().nullable(),
    description: p.string().length(500),
    createdAt: p.datetime().onCreate(() => new Date()),
    resolvedAt: p.datetime().nullable(),
  },
  uniques: [{ properties: ['operationId', 'step'] }],
  indexes: [{ properties: ['tenantId', 'currency'] }],
  checks: [
    { name: 'ledger_transaction_status_check', expression: `"status" in ('PENDING', 'POSTED', 'VOIDED')` },
  ],
});

/** One side of a posting; its status follows its transaction; balanceAfter is set when it posts. */
export const LedgerEntry = defineEntity({
  name: 'LedgerEntry',
  tableName: 'ledger_entry',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    ledgerTransaction: p.manyToOne(LedgerTransaction).mapToPk().index(),
    account: p.manyToOne(LedgerAccount).mapToPk(),
    direction: p.string().length(6),
    amount: p.bigint('bigint'),
    status: p.string().length(10),
    description: p.string().length(500),
    balanceAfter: p.bigint('bigint').nullable(),
    postingSeq: p.bigint('bigint').nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    postedAt: p.datetime().nullable(),
  },
  indexes: [{ properties: ['account', 'id'] }],
  checks: [
    { name: 'ledger_entry_amount_check', expression: '"amount" > 0' },
    { name: 'ledger_entry_direction_check', expression: `"direction" in ('DEBIT', 'CREDIT')` },
    { name: 'ledger_entry_status_check', expression: `"status" in ('PENDING', 'POSTED', 'VOIDED')` },
  ],
});

export const Transfer = defineEntity({
  name: 'Transfer',
  tableName: 'transfer',
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    workspaceId: p.uuid(),
    sourceWallet: p.manyToOne(Wallet).mapToPk(),
    destination: p.json<Record<string, unknown>>(),
    destinationWalletId: p.uuid().nullable(),
    channelProductCode: p.string().length(50),
    amount: p.bigint('bigint'),
    fee: p.bigint('bigint'),
    currency: p.string().length(3),
    reference: p.string().length(200).nullable(),
    memo: p.string().length(500).nullable(),
    status: p.string().length(20),
    failureCode: p.string().length(50).nullable(),
    failureMessage: p.string().length(500).nullable(),
    idempotencyKey: p.string().length(200),
    workflowId: p.string().length(200),
    createdBy: p.uuid().nullable(),
    submittedAt: p.datetime().nullable(),
    cancelRequestedAt: p.datetime().nullable(),
    externalReference: p.string().length(200).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()),
    completedAt: p.datetime().nullable(),
  },
  indexes: [
    { properties: ['workspaceId', 'createdAt', 'id'] },
    { properties: ['tenantId', 'createdAt', 'id'] },
    { properties: ['sourceWallet', 'createdAt'] },
  ],
  checks: [
    {
      name: 'transfer_status_check',
      expression: `"status" in ('PENDING_APPROVAL', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED')`,
    },
    { name: 'transfer_amount_check', expression: '"amount" > 0 and "fee" >= 0' },
  ],
});

/** The timeline of a transfer; one event per type, so a retried step records it once. */
export const TransferEvent = defineEntity({
  name: 'TransferEvent',
  tableName: 'transfer_event',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    transfer: p.manyToOne(Transfer).mapToPk(),
    type: p.string().length(50),
    data: p.json<Record<string, unknown>>().defaultRaw("'{}'"),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ properties: ['transfer', 'type'] }],
});

/**
 * A workspace's transfer security: amounts at or above a currency's threshold wait for a second member's
 * approval; `stepUpMfa` makes POST /v1/transfers require a current TOTP code. No row: neither applies.
 */
export const TransferSecurity = defineEntity({
  name: 'TransferSecurity',
  tableName: 'transfer_security',
  properties: {
    workspace: p.manyToOne(Workspace).mapToPk().primary().deleteRule('cascade'),
    /** `[{ currency, amount }]`, amounts as decimal strings of minor units. */
    approvalThresholds: p.json<{ currency: string; amount: string }[]>().defaultRaw("'[]'"),
    stepUpMfa: p.boolean().default(false),
    updatedBy: p.uuid().nullable(),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});

export const FeeSchedule = defineEntity({
  name: 'FeeSchedule',
  tableName: 'fee_schedule',
  properties: {
    tenant: p.manyToOne(Tenant).mapToPk().primary(),
    channelProductCode: p.string().length(50).primary(),
    currency: p.string().length(3).primary(),
    fixed: p.bigint('bigint'),
    percentBps: p.integer(),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
  checks: [
    {
      name: 'fee_schedule_values_check',
      expression: '"fixed" >= 0 and "percent_bps" >= 0 and "percent_bps" <= 10000',
    },
  ],
});

/** One row per (scope, Idempotency-Key): the request's hash, the resource it created, or its refusal. */
export const IdempotencyRecord = defineEntity({
  name: 'IdempotencyRecord',
  tableName: 'idempotency_record',
  properties: {
    scope: p.string().length(100).primary(),
    key: p.string().length(200).primary(),
    requestHash: p.string().length(64),
    resourceId: p.uuid(),
    refusalCode: p.string().length(50).nullable(),
    refusalMessage: p.string().length(500).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export const Deposit = defineEntity({
  name: 'Deposit',
  tableName: 'deposit',
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    wallet: p.manyToOne(Wallet).mapToPk().index(),
    amount: p.bigint('bigint'),
    currency: p.string().length(3),
    reference: p.string().length(200).nullable(),
    createdBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  checks: [{ name: 'deposit_amount_check', expression: '"amount" > 0' }],
});

export type WalletEntity = InferEntity<typeof Wallet>;
export type LedgerAccountEntity = InferEntity<typeof LedgerAccount>;
export type LedgerTransactionEntity = InferEntity<typeof LedgerTransaction>;
export type LedgerEntryEntity = InferEntity<typeof LedgerEntry>;
export type TransferEntity = InferEntity<typeof Transfer>;
export type TransferEventEntity = InferEntity<typeof TransferEvent>;
export type FeeScheduleEntity = InferEntity<typeof FeeSchedule>;
export type IdempotencyRecordEntity = InferEntity<typeof IdempotencyRecord>;
export type DepositEntity = InferEntity<typeof Deposit>;
export type TransferSecurityEntity = InferEntity<typeof TransferSecurity>;
