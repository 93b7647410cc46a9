// The tenant notification contract: one delivery workflow per event occurrence.
import type { TenantEvent } from '../webhooks';

export interface TenantNotificationInput {
  tenantId: string;
  event: string;
  data: Record<string, unknown>;
}

export type TenantNotificationResult = 'DELIVERED' | 'FAILED' | 'NOT_SUBSCRIBED';

export interface TenantNotification {
  tenantId: string;
  event: TenantEvent;
  /** Event data sent to the receiver: IDs and statuses, never a secret. */
  data: Record<string, unknown>;
  /** Unique per event occurrence (e.g. `transfer-<id>-completed`); a repeated key is delivered once. */
  eventKey: string;
}

export function tenantNotificationWorkflowId(eventKey: string): string {
  return `tenant-notification-${eventKey}`;
}
