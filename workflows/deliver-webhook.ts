// Delivers one event to one target (`webhook-delivery-<deliveryId>[-retry-<n>]`): attempts, then waits per
// WEBHOOK_RETRY_SCHEDULE (about 27.5 hours by default) between attempts until a 2xx answer, the schedule is spent
// (FAILED), or the target stops taking it (disabled, deleted, newer manual run). No compensation.
import { proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index';
import type { DeliverWebhookInput, DeliveryOutcome } from '../domain/events/contract';
import { WEBHOOK_ATTEMPT } from './profiles';
import { markStatus } from './status';

const act = proxyActivities<Activities>(WEBHOOK_ATTEMPT);

export async function deliverWebhookWorkflow(input: DeliverWebhookInput): Promise<DeliveryOutcome> {
  const key = workflowInfo().workflowId;
  for (let attempt = 0; ; attempt++) {
    const result = await act.attemptWebhookDelivery({
      key: `${key}:attempt-${attempt}`,
      deliveryId: input.deliveryId,
      run: input.run,
      attemptInRun: attempt,
    });
    if (result.outcome !== 'RETRY') {
      markStatus(result.outcome);
      return result.outcome;
    }
    markStatus('RETRYING');
    await sleep(result.retryInMs);
  }
}
