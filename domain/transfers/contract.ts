// The transfer workflow's contract, shared by the API, the activities and the workflow: its ID, the request
// it is started with, its update and signal definitions, statuses and refusal codes. No Node built-ins here:
// the workflow bundle imports this file.
import { formatMinor } from '../money';
import { defineSignal, defineUpdate } from '@temporalio/workflow';

export const TRANSFER_STATUSES = [
  'PENDING_APPROVAL',
  'PROCESSING',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

/** Codes a transfer is refused with (422, nothing held). */
export const TRANSFER_REFUSALS = [
  'INSUFFICIENT_FUNDS',
  'WALLET_NOT_ACTIVE',
  'CURRENCY_MISMATCH',
  'LIMIT_EXCEEDED',
  'CHANNEL_UNAVAILABLE',
  'DESTINATION_NOT_FOUND',
] as const;
export type TransferRefusal = (typeof TRANSFER_REFUSALS)[number];

/** Failure codes of a transfer that was accepted and then failed (its hold released). */
export type TransferFailureCode =
  'CHANNEL_REJECTED' | 'CHANNEL_TIMEOUT' | 'CHANNEL_UNAVAILABLE' | 'APPROVAL_REJECTED' | 'APPROVAL_EXPIRED';

export const TRANSFER_WORKFLOW_PREFIX = 'transfer-';
export const transferWorkflowId = (transferId: string) => `${TRANSFER_WORKFLOW_PREFIX}${transferId}`;

export interface Beneficiary {
  name: string;
  accountNumber: string;
  bankCode?: string;
}

export type TransferDestination =
  | { type: 'WALLET'; walletId: string }
  | { type: 'CHANNEL'; channelProductCode: string; beneficiary: Beneficiary };

/** What the API hands the transfer workflow (no secrets; amounts as decimal strings of minor units). */
export interface TransferRequest {
  transferId: string;
  tenantId: string;
  workspaceId: string;
  actorUserId: string | null;
  sourceWalletId: string;
  amount: string;
  currency: string;
  destination: TransferDestination;
  reference: string | null;
  memo: string | null;
  idempotencyKey: string;
}

/** INTERNAL settles on the book at once; EXTERNAL goes through a channel adapter. */
export type TransferRoute = 'INTERNAL' | 'EXTERNAL';

export const INTERNAL_CHANNEL_CODE = 'INTERNAL';

export interface ExecuteTransferInput {
  request: TransferRequest;
  /** How long to wait for an external channel's confirmation (CHANNEL_CONFIRM_TIMEOUT). */
  confirmTimeoutMs: number;
  /**
   * Set when the amount reached the workspace's approval threshold (decided at request time, so a replay takes
   * the same path): the transfer waits PENDING_APPROVAL for a decision, at most `ttlMs` (TRANSFER_APPROVAL_TTL).
   */
  approval?: { ttlMs: number; threshold: string };
}

/** The answer the API gives the client once funds are held (or the refusal, with nothing held). */
export type HoldOutcome = { ok: true; transferId: string } | { ok: false; code: string; message: string };

export interface ChannelResult {
  status: 'CONFIRMED' | 'REJECTED';
  bankReference: string | null;
  reason: string | null;
}

/** Completes once the hold is decided: INTERNAL after posting, external right after the hold. */
export const holdOutcomeUpdate = defineUpdate<HoldOutcome>('holdOutcome');
/** Cancels the transfer if it has not been submitted to a channel; resolves once the hold is released. */
export const cancelTransferUpdate = defineUpdate<void, [{ actorUserId: string | null }]>('cancelTransfer');
/** The channel's confirmation or rejection, delivered by the channel callback route. */
export const channelResultSignal = defineSignal<[ChannelResult]>('channelResult');

/** An approver's decision on a transfer waiting PENDING_APPROVAL. */
export interface ApprovalDecision {
  approved: boolean;
  deciderUserId: string;
  reason: string | null;
}

/**
 * Approves or rejects a transfer waiting for approval; resolves once the decision is applied (approved: the
 * transfer continues; rejected: its hold is released). The validator refuses the initiator
 * (APPROVAL_NOT_ALLOWED) and a transfer no longer waiting (CONFLICT).
 */
export const decideApprovalUpdate = defineUpdate<void, [ApprovalDecision]>('decideApproval');

/** What an operator reads in the Temporal UI: "Transfer 12.34 USD, wallet <id> to wallet <id>". */
export function transferSummary(request: TransferRequest): string {
  const to =
    request.destination.type === 'WALLET'
      ? `wallet ${request.destination.walletId}`
      : `${request.destination.channelProductCode} payout`;
  return `Transfer ${formatMinor(BigInt(request.amount), request.currency)}, wallet ${request.sourceWalletId} to ${to}`;
}
