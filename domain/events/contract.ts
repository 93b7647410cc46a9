// The events contract (API.md "Events and webhooks"): event types, workflow IDs of the dispatch and delivery
// workflows, which events mail the tenant's admins, and the default retry schedule of a delivery.

/** Every event type; subscriptions (tenant settings, workspace endpoints) choose among these. */
export const EVENT_TYPES = [
  'transfer.completed',
  'transfer.failed',
  'transfer.cancelled',
  'transfer.approval_requested',
  'partner.activated',
  'partner.failed',
  'partner.suspended',
  'partner.reactivated',
  'onboarding.completed',
  'member.invited',
  'merchant.application_submitted',
  'merchant.activated',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** Events that mail the tenant's admins when the tenant's `emailEnabled` is on. */
export const EMAIL_EVENTS: readonly EventType[] = [
  'transfer.failed',
  'partner.failed',
  'onboarding.completed',
];

/** What a receiver gets (and `GET /v1/events` lists). */
export interface EventPayload {
  id: string;
  type: string;
  createdAt: string;
  tenantId: string;
  workspaceId: string | null;
  data: Record<string, unknown>;
}

/** The workflow that fans one event out into deliveries (and mails): started after the event's commit. */
export function eventDispatchWorkflowId(eventId: string): string {
  return `event-dispatch-${eventId}`;
}

/** Run 0 is the first delivery; each manual retry n starts `webhook-delivery-<id>-retry-<n>`. */
export function webhookDeliveryWorkflowId(deliveryId: string, run = 0): string {
  return run === 0 ? `webhook-delivery-${deliveryId}` : `webhook-delivery-${deliveryId}-retry-${run}`;
}

export const EVENT_SWEEP_SCHEDULE_ID = 'event-sweep';

export interface DispatchEventInput {
  eventId: string;
}

export interface DeliverWebhookInput {
  deliveryId: string;
  /** Which run this is (0, then one per manual retry); an older run stops when a newer one exists. */
  run: number;
}

export type DeliveryOutcome = 'SUCCEEDED' | 'FAILED' | 'STOPPED';

/** Standard Webhooks' recommended schedule: about 27.5 hours of retries after the first attempt. */
export const DEFAULT_RETRY_SCHEDULE = '5s,5m,30m,2h,5h,10h,10h';

/** Events older than this without a dispatch are dispatched by the sweeper (their start was lost). */
export const DISPATCH_GRACE_MS = 10_000;
