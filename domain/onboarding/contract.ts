// The bulk onboarding contract: the batch workflow's ID, input, signals and the row shapes it reads.
import { defineSignal } from '@temporalio/workflow';

export const MAX_BATCH_ROWS = 10_000;
export const ROW_STATUSES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED'] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];
export const BATCH_STATUSES = ['RUNNING', 'COMPLETED', 'CANCELLED'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** Rows handled per run before continuing as new. */
export const ONBOARDING_ROWS_PER_RUN = 500;

/** At most this many rows per provisioning activity (each row is one transaction in it). */
export const ONBOARDING_ROWS_PER_CHUNK = 25;

/** How long a started batch workflow waits for the API to store its rows before it settles the batch itself. */
export const BATCH_STORE_WAIT_MS = 10 * 60_000;

export interface OnboardingRowInput {
  name: string;
  adminEmail: string;
  adminName: string;
  currencies: string[];
}

export interface PendingOnboardingRow {
  rowNumber: number;
  input: OnboardingRowInput;
}

export interface OnboardPartnersInput {
  batchId: string;
  tenantId: string;
  /** The tenant workspace the batch was submitted from. */
  workspaceId: string;
  actorUserId: string | null;
  concurrency: number;
  invitationTtlMs: number;
  /** Rows up to this number were handled by earlier runs. */
  afterRowNumber: number;
  /** Rows per run before continuing as new (default ONBOARDING_ROWS_PER_RUN). */
  rowsPerRun?: number;
  /** How long to wait for `batchStoredSignal` (default BATCH_STORE_WAIT_MS); later runs do not wait. */
  storeWaitMs?: number;
}

export function onboardingBatchWorkflowId(batchId: string): string {
  return `onboarding-batch-${batchId}`;
}

export const cancelOnboardingSignal = defineSignal('cancelOnboarding');

/** Sent by the API once the batch and its rows are committed (the workflow was started before). */
export const batchStoredSignal = defineSignal('batchStored');
