// Legacy tenant notifications (`tenant-notification-<key>` workflows started before the event outbox): record a
// delivery, POST it signed per Standard Webhooks, record every attempt. Nothing starts them any more: events go
// through the outbox (domain/events/record-event.ts, activities/events.ts); these stay for runs in flight.
import { Context, ApplicationFailure } from '@temporalio/activity';
import { decryptWebhookSecret, type TenantEvent } from '../domain/webhooks';
import type { TenantNotification } from '../domain/notifications/contract';
import { failWebhookDelivery } from '../domain/notifications/fail-webhook-delivery';
import { prepareWebhookDelivery } from '../domain/notifications/prepare-webhook-delivery';
import { recordWebhookAttempt } from '../domain/notifications/record-webhook-attempt';
import { findDeliveryToSend } from '../db/store/events';
import type { ActivityDeps } from './deps';
import { postWebhook } from './webhook-http';

export type { TenantNotification };

export function webhookActivities(deps: ActivityDeps) {
  const em = () => deps.orm.em.fork();
  return {
    /**
     * Records a delivery when the tenant has a webhook URL subscribed to the event; returns its ID, or null
     * when there is nothing to send. Idempotent per key. Nothing to compensate.
     */
    async prepareWebhookDelivery(input: {
      key: string;
      tenantId: string;
      event: string;
      data: Record<string, unknown>;
    }): Promise<string | null> {
      return prepareWebhookDelivery(em(), { ...input, eventKey: input.key });
    },

    /**
     * POSTs the delivery signed with the tenant's current secret (`Portal-Signature: t=<ts>,v1=<hex>` over
     * `${ts}.${body}`); every attempt is recorded; a non-2xx answer throws so Temporal retries with back-off.
     */
    async deliverWebhook(input: { key: string; deliveryId: string }): Promise<void> {
      const delivery = await findDeliveryToSend(em(), input.deliveryId);
      if (!delivery || delivery.status === 'DELIVERED') return;
      if (!delivery.webhookSecretEnc) {
        throw ApplicationFailure.nonRetryable('the tenant has no webhook secret any more', 'CONFLICT');
      }
      const secret = decryptWebhookSecret(deps.config.MFA_ENCRYPTION_KEY, delivery.webhookSecretEnc);
      const started = performance.now();
      const result = await postWebhook({
        url: delivery.url,
        secret,
        webhookId: delivery.id,
        body: JSON.stringify(delivery.payload),
        allowLocal: deps.config.ALLOW_HTTP_WEBHOOKS,
        timeoutMs: deps.config.WEBHOOK_TIMEOUT_MS,
      });
      if (result.refused) throw ApplicationFailure.nonRetryable(result.error!, 'VALIDATION_FAILED');
      const delivered = result.error === null;
      await recordWebhookAttempt(em(), {
        deliveryId: delivery.id,
        attempt: Context.current().info.attempt,
        outcome: { ...result, durationMs: Math.round(performance.now() - started), delivered },
      });
      if (!delivered) throw ApplicationFailure.retryable(`webhook delivery failed: ${result.error}`);
    },

    /** Marks a delivery FAILED once its retries are exhausted. */
    async markWebhookFailed(input: { key: string; deliveryId: string }): Promise<void> {
      await failWebhookDelivery(em(), input.deliveryId);
    },

    /**
     * Kept for invitation workflows recorded before the event outbox: `member.invited` is now an event written
     * with the invitation (domain/identity/create-invitation.ts), so this does nothing. No compensation.
     */
    async notifyTenant(_input: {
      key: string;
      tenantId: string;
      event: TenantEvent;
      data: Record<string, unknown>;
    }): Promise<void> {},
  };
}
