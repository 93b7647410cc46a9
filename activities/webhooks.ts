// Tenant webhooks: record a delivery for a subscribed event, POST it signed, record every attempt. Thin adapters
// around the notification commands; other areas start a notification with startTenantNotification
// (domain/notifications/start-tenant-notification.ts) or, from a workflow, the notifyTenant activity.
import { Context, ApplicationFailure } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { AppError } from '../domain/errors';
import {
  assertWebhookTarget,
  decryptWebhookSecret,
  SIGNATURE_HEADER,
  signatureHeader,
  type TenantEvent,
} from '../domain/webhooks';
import type { TenantNotification } from '../domain/notifications/contract';
import { failWebhookDelivery } from '../domain/notifications/fail-webhook-delivery';
import { prepareWebhookDelivery } from '../domain/notifications/prepare-webhook-delivery';
import { recordWebhookAttempt } from '../domain/notifications/record-webhook-attempt';
import { startTenantNotification as startNotification } from '../domain/notifications/start-tenant-notification';
import { findDeliveryToSend } from '../db/store/notifications';
import type { ActivityDeps } from './deps';

const ATTEMPT_TIMEOUT_MS = 10_000;

export type { TenantNotification };

/** Kept for callers not moved yet: starts `tenant-notification-<eventKey>` under the one start policy. */
export function startTenantNotification(
  temporal: Client,
  taskQueue: string,
  notification: TenantNotification,
): Promise<void> {
  return startNotification({ temporal, taskQueue }, notification);
}

async function postSigned(
  url: string,
  secret: string,
  body: string,
  deliveryId: string,
  event: string,
): Promise<{ statusCode: number | null; error: string | null }> {
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const res = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'payments-portal-webhooks/1',
        [SIGNATURE_HEADER]: signatureHeader(secret, timestamp, body),
        'Portal-Event': event,
        'Portal-Delivery': deliveryId,
      },
      body,
    });
    await res.body?.cancel();
    const ok = res.status >= 200 && res.status < 300;
    return { statusCode: res.status, error: ok ? null : `receiver answered ${res.status}` };
  } catch (err) {
    return { statusCode: null, error: err instanceof Error ? err.message : String(err) };
  }
}

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
      await assertWebhookTarget(delivery.url, deps.config.ALLOW_HTTP_WEBHOOKS).catch((err: unknown) => {
        throw err instanceof AppError ? ApplicationFailure.nonRetryable(err.message, err.code) : err;
      });
      const secret = decryptWebhookSecret(deps.config.MFA_ENCRYPTION_KEY, delivery.webhookSecretEnc);
      const started = performance.now();
      const result = await postSigned(
        delivery.url,
        secret,
        JSON.stringify(delivery.payload),
        delivery.id,
        delivery.event,
      );
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
     * For other workflows: starts the tenant notification for an event (on this worker's task queue) and
     * returns at once; the delivery's failures never reach the caller. Idempotent per key.
     */
    async notifyTenant(input: {
      key: string;
      tenantId: string;
      event: TenantEvent;
      data: Record<string, unknown>;
    }): Promise<void> {
      if (!deps.temporal) throw new Error('notifyTenant needs a Temporal client in the activity deps');
      await startNotification(
        { temporal: deps.temporal, taskQueue: Context.current().info.taskQueue },
        { tenantId: input.tenantId, event: input.event, data: input.data, eventKey: input.key },
      );
    },
  };
}
