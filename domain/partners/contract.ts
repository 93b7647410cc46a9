// The partner area's contract: the provisioning workflow's ID, input, outcome, and the update the API waits on.
import { defineUpdate } from '@temporalio/workflow';

export const PARTNER_STATUSES = ['PROVISIONING', 'ACTIVE', 'FAILED', 'SUSPENDED'] as const;
export type PartnerStatus = (typeof PARTNER_STATUSES)[number];

/** The onboarding-batch row a provisioning runs for, if any; its status follows the partner's. */
export interface BatchRowRef {
  batchId: string;
  rowNumber: number;
}

/** Where a provisioning request came from, for its audit row (never a secret). */
export interface PartnerRequestOrigin {
  workspaceId: string | null;
  ip: string | null;
  requestId: string | null;
}

export interface ProvisionPartnerInput {
  partnerId: string;
  tenantId: string;
  name: string;
  workspaceId: string;
  /** System role name -> role ID. */
  roleIds: Record<string, string>;
  admin: { userId: string; membershipId: string; email: string; name: string };
  wallets: { id: string; currency: string }[];
  /** `code` null: a code is generated. */
  referralCode: { id: string; code: string | null };
  invitation: { id: string; ttlMs: number };
  actorUserId: string | null;
  batchRow?: BatchRowRef;
  /** Set when the API asked for the partner. */
  origin?: PartnerRequestOrigin;
}

export interface ProvisionPartnerResult {
  partnerId: string;
  workspaceId: string;
  referralCode: string;
}

export function partnerProvisioningWorkflowId(partnerId: string): string {
  return `partner-provisioning-${partnerId}`;
}

/**
 * Answers once the partner row is written (PROVISIONING), or fails with the refusal (e.g. CONFLICT). The API
 * starts provisioning with this update (Update-with-Start), so the workflow writes its own row and a failed start
 * leaves nothing behind.
 */
export const partnerRecordedUpdate = defineUpdate<void>('partnerRecorded');
