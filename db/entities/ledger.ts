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
});

/** A wallet's account or a system account (FUNDING, FEE_REVENUE, SETTLEMENT:<channel>) per tenant and currency. */
export const LedgerAccount = defineEntity({
  name: 'LedgerAccount',
  tableName: 'ledger_account',
  properties: {
    id: p.uuid().primary(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    currency: p.string().length(3),
    kind: p.string().length(30),
    wallet: p.oneToOne(Wallet).mapToPk().owner().nullable().unique(),
    systemKey: p.string().length(100).nullable(),
    debitsPosted: p.bigint('bigint').default(0),
    creditsPosted: p.bigint('bigint').default(0),
    debitsPending: p.bigint('bigint').default(0),
    creditsPending: p.bigint('bigint').default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ properties: ['tenant', 'currency', 'systemKey'] }],
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
  indexes: [{ properties: ['account', 'createdAt', 'id'] }],
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
