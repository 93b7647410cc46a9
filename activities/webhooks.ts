// Tenant webhooks: record a delivery for a subscribed event, POST it signed, record every attempt.
// Other areas start a notification with startTenantNotification (API) or the notifyTenant activity (workflows).
import { randomUUID } from 'node:crypto';
import { Context, ApplicationFailure } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import {
  decryptWebhookSecret,
  SIGNATURE_HEADER,
  signatureHeader,
  type TenantEvent,
} from '../domain/webhooks';
import { operationAttributes } from '../workflows/search-attributes';
import type { TenantNotificationInput, notifyTenantWorkflow } from '../workflows/notify-tenant';
import { inTransaction, type ActivityDeps } from './deps';

const ATTEMPT_TIMEOUT_MS = 10_000;

export interface TenantNotification {
  tenantId: string;
  event: TenantEvent;
  /** Event data sent to the receiver: IDs and statuses, never a secret. */
  data: Record<string, unknown>;
  /** Unique per event occurrence (e.g. `transfer-<id>-completed`); a repeated key is delivered once. */
  eventKey: string;
}

/** Starts the delivery workflow `tenant-notification-<eventKey>`; a repeat of the same key is a no-op. */
export async function startTenantNotification(
  client: Client,
  taskQueue: string,
  notification: TenantNotification,
): Promise<void> {
  const input: TenantNotificationInput = {
    tenantId: notification.tenantId,
    event: notification.event,
    data: notification.data,
  };
  try {
    await client.workflow.start<typeof notifyTenantWorkflow>('notifyTenantWorkflow', {
      taskQueue,
      workflowId: `tenant-notification-${notification.eventKey}`,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: operationAttributes(notification.tenantId, null),
      args: [input],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

interface DeliveryRow {
  id: string;
  tenant_id: string;
  url: string;
  payload: Record<string, unknown>;
  status: string;
  webhook_secret_enc: string | null;
}

async function recordAttempt(
  deps: ActivityDeps,
  deliveryId: string,
  attempt: number,
  outcome: { statusCode: number | null; error: string | null; durationMs: number; delivered: boolean },
): Promise<void> {
  await inTransaction(deps, async (em) => {
    await em.execute(
      `insert into webhook_attempt (delivery_id, attempt, status_code, error, duration_ms, created_at)
       values (?, ?, ?, ?, ?, clock_timestamp()) on conflict (delivery_id, attempt) do nothing`,
      [deliveryId, attempt, outcome.statusCode, outcome.error?.slice(0, 500) ?? null, outcome.durationMs],
    );
    await em.execute(
      `update webhook_delivery
          set attempts = attempts + 1, last_status_code = ?, last_error = ?,
              status = case when ? then 'DELIVERED' else status end,
              delivered_at = case when ? then clock_timestamp() else delivered_at end
        where id = ?`,
      [
        outcome.statusCode,
        outcome.error?.slice(0, 500) ?? null,
        outcome.delivered,
        outcome.delivered,
        deliveryId,
      ],
    );
  });
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
      return inTransaction(deps, async (em) => {
        const [existing] = await em.execute<{ id: string }[]>(
          'select id from webhook_delivery where event_key = ?',
          [input.key],
        );
        if (existing) return existing.id;
        const [settings] = await em.execute<{ webhook_url: string | null; events: string[] }[]>(
          'select webhook_url, events from notification_settings where tenant_id = ?',
          [input.tenantId],
        );
        if (!settings?.webhook_url || !settings.events.includes(input.event)) return null;
        const id = randomUUID();
        const payload = {
          id,
          event: input.event,
          tenantId: input.tenantId,
          createdAt: new Date().toISOString(),
          data: input.data,
        };
        await em.execute(
          `insert into webhook_delivery (id, tenant_id, event_key, event, url, payload, status, attempts, created_at)
           values (?, ?, ?, ?, ?, ?, 'PENDING', 0, clock_timestamp())`,
          [id, input.tenantId, input.key, input.event, settings.webhook_url, JSON.stringify(payload)],
        );
        return id;
      });
    },

    /**
     * POSTs the delivery signed with the tenant's current secret (`Portal-Signature: t=<ts>,v1=<hex>` over
     * `${ts}.${body}`); every attempt is recorded; a non-2xx answer throws so Temporal retries with back-off.
     */
    async deliverWebhook(input: { key: string; deliveryId: string }): Promise<void> {
      const [row] = await deps.orm.em.fork().execute<(DeliveryRow & { event: string })[]>(
        `select d.id, d.tenant_id, d.url, d.payload, d.status, d.event, s.webhook_secret_enc
           from webhook_delivery d left join notification_settings s on s.tenant_id = d.tenant_id
          where d.id = ?`,
        [input.deliveryId],
      );
      if (!row || row.status === 'DELIVERED') return;
      if (!row.webhook_secret_enc) {
        throw ApplicationFailure.nonRetryable('the tenant has no webhook secret any more', 'CONFLICT');
      }
      const secret = decryptWebhookSecret(deps.config.MFA_ENCRYPTION_KEY, row.webhook_secret_enc);
      const body = JSON.stringify(row.payload);
      const started = performance.now();
      const result = await postSigned(row.url, secret, body, row.id, row.event);
      const delivered = result.error === null;
      await recordAttempt(deps, row.id, Context.current().info.attempt, {
        ...result,
        durationMs: Math.round(performance.now() - started),
        delivered,
      });
      if (!delivered) throw ApplicationFailure.retryable(`webhook delivery failed: ${result.error}`);
    },

    /** Marks a delivery FAILED once its retries are exhausted. */
    async markWebhookFailed(input: { key: string; deliveryId: string }): Promise<void> {
      await deps.orm.em
        .fork()
        .execute(`update webhook_delivery set status = 'FAILED' where id = ? and status = 'PENDING'`, [
          input.deliveryId,
        ]);
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
      await startTenantNotification(deps.temporal, Context.current().info.taskQueue, {
        tenantId: input.tenantId,
        event: input.event,
        data: input.data,
        eventKey: input.key,
      });
    },
  };
}
