// Delivers one tenant event as a signed webhook, retried with back-off for up to a day; a delivery that never
// succeeds is marked FAILED and the workflow still completes, so callers are never affected. No compensation.
import { ActivityFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index';
import type { TenantNotificationInput, TenantNotificationResult } from '../domain/notifications/contract';
import { DB_WRITE, DELIVERY } from './profiles';
import { markStatus } from './status';

const act = proxyActivities<Activities>(DB_WRITE);
const delivery = proxyActivities<Activities>(DELIVERY);

export async function notifyTenantWorkflow(
  input: TenantNotificationInput,
): Promise<TenantNotificationResult> {
  const key = workflowInfo().workflowId;
  const deliveryId = await act.prepareWebhookDelivery({ key, ...input });
  if (!deliveryId) {
    markStatus('NOT_SUBSCRIBED');
    return 'NOT_SUBSCRIBED';
  }
  try {
    await delivery.deliverWebhook({ key: `${key}:deliver`, deliveryId });
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    await act.markWebhookFailed({ key: `${key}:failed`, deliveryId });
    markStatus('FAILED');
    return 'FAILED';
  }
  markStatus('DELIVERED');
  return 'DELIVERED';
}
