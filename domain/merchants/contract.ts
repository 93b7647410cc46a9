// The merchant area's contract, shared by the API, the activities and the workflow: the application workflow's
// ID, input and outcome, its updates (the recorded row; the tenant's approve or reject decision), statuses and
// the API views. No Node built-ins here: the workflow bundle imports it.
import { defineUpdate } from '@temporalio/workflow';

export const MERCHANT_APPLICATION_STATUSES = ['SUBMITTED', 'APPROVED', 'REJECTED', 'EXPIRED'] as const;
export type MerchantApplicationStatus = (typeof MERCHANT_APPLICATION_STATUSES)[number];

export const MERCHANT_STATUSES = ['PROVISIONING', 'ACTIVE', 'FAILED', 'SUSPENDED'] as const;
export type MerchantStatus = (typeof MERCHANT_STATUSES)[number];

/** An application as the API shows it: what was submitted, and its decision. */
export interface MerchantApplicationView extends MerchantApplicationFields {
  id: string;
  status: MerchantApplicationStatus;
  merchantId: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
  createdAt: string;
}

/** A merchant as the API shows it. */
export interface MerchantView {
  id: string;
  name: string;
  status: MerchantStatus;
  workspaceId: string | null;
  adminUserId: string | null;
  adminEmail: string;
  applicationId: string | null;
  wallets: { id: string; currency: string }[];
  failureReason: string | null;
  createdAt: string;
}

/** What the applicant submitted (already validated and normalised by the API). */
export interface MerchantApplicationFields {
  businessName: string;
  contactName: string;
  email: string;
  country: string;
  website: string | null;
  currencies: string[];
}

/** Where a request came from, for audit rows (never a secret). */
export interface MerchantRequestOrigin {
  ip: string | null;
  requestId: string | null;
}

export interface MerchantApplicationInput {
  applicationId: string;
  tenantId: string;
  application: MerchantApplicationFields;
  origin: MerchantRequestOrigin;
  /** MERCHANT_APPLICATION_TTL: undecided after this long, the application ends EXPIRED. */
  ttlMs: number;
  /** MERCHANT_APPLICATION_REMINDER: the tenant's admins get a reminder mail after this long. */
  reminderMs: number;
  /** INVITATION_TTL of the applicant's activation invitation. */
  invitationTtlMs: number;
}

/** How the workflow ended: the decision (or expiry) and, for an approval, the provisioned merchant. */
export interface MerchantApplicationResult {
  status: Exclude<MerchantApplicationStatus, 'SUBMITTED'>;
  merchantId: string | null;
  merchantStatus: MerchantStatus | null;
}

/** The tenant member who decides, and from where (audit). */
export interface MerchantDecider extends MerchantRequestOrigin {
  userId: string;
  workspaceId: string;
}

/**
 * The application's timeline from its start: the reminder (null when it would not come before the expiry)
 * and the expiry, both as offsets in milliseconds.
 */
export function applicationTimeline(
  ttlMs: number,
  reminderMs: number,
): { reminderAtMs: number | null; expireAtMs: number } {
  return { reminderAtMs: reminderMs > 0 && reminderMs < ttlMs ? reminderMs : null, expireAtMs: ttlMs };
}

export function merchantApplicationWorkflowId(applicationId: string): string {
  return `merchant-application-${applicationId}`;
}

/**
 * Answers once the application row is written (SUBMITTED). The API starts the workflow with this update
 * (Update-with-Start), so the workflow writes its own row and a failed start leaves nothing behind.
 */
export const applicationRecordedUpdate = defineUpdate<void>('applicationRecorded');

/** Approves: the application is APPROVED with its merchant (PROVISIONING) when the update answers. */
export const approveApplicationUpdate = defineUpdate<MerchantApplicationView, [MerchantDecider]>(
  'approveApplication',
);

/** Rejects with a reason the applicant is mailed: the application is REJECTED when the update answers. */
export const rejectApplicationUpdate = defineUpdate<
  MerchantApplicationView,
  [MerchantDecider & { reason: string }]
>('rejectApplication');
