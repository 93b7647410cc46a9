// Starts the delivery workflows of a dispatched event (and its mails' senders are the caller's). One start policy:
// deterministic IDs (`webhook-delivery-<id>[-retry-<n>]`), so a repeated start is a no-op.
import type { DeliverWebhookInput } from './contract';
import { eventDispatchWorkflowId, webhookDeliveryWorkflowId } from './contract';
import { startWorkflow, type WorkflowStarter } from '../workflow-start';

export async function startDeliveryWorkflow(
  starter: WorkflowStarter,
  d: { id: string; runs: number; tenantId: string; type: string },
): Promise<void> {
  const input: DeliverWebhookInput = { deliveryId: d.id, run: d.runs };
  await startWorkflow(starter, {
    workflowType: 'deliverWebhookWorkflow',
    workflowId: webhookDeliveryWorkflowId(d.id, d.runs),
    args: [input],
    searchScope: { tenantId: d.tenantId, workspaceId: null },
    summary: `Webhook delivery of ${d.type}${d.runs ? ` (manual retry ${d.runs})` : ''}`,
    details: `Delivery ${d.id}; attempts and their answers: GET /v1/workspace/webhook-endpoints/:id/deliveries.`,
  });
}

/** Starts the dispatch of one committed event (after the commit, or by the sweeper). */
export async function startEventDispatch(
  starter: WorkflowStarter,
  e: { id: string; tenantId: string; type?: string },
): Promise<void> {
  await startWorkflow(starter, {
    workflowType: 'dispatchEventWorkflow',
    workflowId: eventDispatchWorkflowId(e.id),
    args: [{ eventId: e.id }],
    searchScope: { tenantId: e.tenantId, workspaceId: null },
    summary: `Dispatch event ${e.type ?? e.id}`,
    details: `Event ${e.id}: creates its webhook deliveries and tenant mails.`,
  });
}
