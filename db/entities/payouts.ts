// External payouts: the sandbox bank's own record of each payout (the bank's books, not ours), and every verdict
// a channel ever gave us about a payout (callback, inquiry or reconciliation), stored before it is acted on.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** The simulated bank's ledger of payouts: keyed by our transfer ID (the bank's idempotency key). */
export const SandboxBankPayout = defineEntity({
  name: 'SandboxBankPayout',
  tableName: 'sandbox_bank_payout',
  properties: {
    transferId: p.uuid().primary(),
    tenantId: p.uuid().index(),
    amount: p.bigint('bigint'),
    currency: p.string().length(3),
    accountNumber: p.string().length(34),
    /** PENDING, then CONFIRMED (paid), REJECTED or RECALLED (never paid), exactly once. */
    status: p.string().length(12),
    /** What the bank will do with it when it gets to it: CONFIRMED, REJECTED or NEVER (999...). */
    plannedOutcome: p.string().length(12),
    bankReference: p.string().length(100),
    /** The fault injected into this payout's callback: LOST, DELAYED or DUPLICATED (none when null). */
    callbackFault: p.string().length(12).nullable(),
    callbacksSent: p.integer().default(0),
    receivedAt: p.datetime().onCreate(() => new Date()),
    decidedAt: p.datetime().nullable(),
  },
});

/** One row per (transfer, verdict): a repeated verdict only bumps `deliveries`, so it applies once. */
export const ChannelVerdict = defineEntity({
  name: 'ChannelVerdict',
  tableName: 'channel_verdict',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    transferId: p.uuid(),
    /** CONFIRMED or REJECTED. */
    verdict: p.string().length(12),
    /** Where we first learnt it: CALLBACK, INQUIRY or RECONCILIATION. */
    source: p.string().length(20),
    bankReference: p.string().length(200).nullable(),
    reason: p.string().length(500).nullable(),
    deliveries: p.integer().default(1),
    /** Set when the verdict contradicted the transfer's final state (an operator alert was raised). */
    contradictedAt: p.datetime().nullable(),
    receivedAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ properties: ['transferId', 'verdict'] }],
});

export type SandboxBankPayoutEntity = InferEntity<typeof SandboxBankPayout>;
export type ChannelVerdictEntity = InferEntity<typeof ChannelVerdict>;
