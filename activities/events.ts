// Events: fan a committed event out into webhook deliveries and tenant mails, attempt one delivery, sweep for
// events and deliveries whose workflow start was lost. Thin adapters around the events commands.
import type { ActivityDeps } from './deps';
import { deliverMail } from './email';
import { postWebhook } from './webhook-http';
import { dispatchEvent as dispatchEventCommand } from '../domain/events/dispatch-event';
import { recordDeliveryAttempt, stopEventDelivery } from '../domain/events/record-delivery-attempt';
import { startDeliveryWorkflow } from '../domain/events/start-deliveries';
import { DISPATCH_GRACE_MS } from '../domain/events/contract';
import type { WorkflowStarter } from '../domain/workflow-start';
import { decryptWebhookSecret } from '../domain/webhooks';
import { eventMail } from '../domain/events/event-mail';
import { findDeliveryTarget, pendingDeliveries, undispatchedEvents } from '../db/store/events';

export type AttemptResult =
  { outcome: 'SUCCEEDED' | 'FAILED' | 'STOPPED' } | { outcome: 'RETRY'; retryInMs: number };

const SWEEP_BATCH = 200;

function starter(deps: ActivityDeps, taskQueue: string): WorkflowStarter {
  if (!deps.temporal) throw new Error('the events activities need a Temporal client in the activity deps');
  return { temporal: deps.temporal, taskQueue };
}

/** Dispatch, start the deliveries' workflows, mail the tenant's admins: every step idempotent. */
export async function dispatchAndStart(
  deps: ActivityDeps,
  taskQueue: string,
  eventId: string,
): Promise<{ deliveries: number; mails: number }> {
  const dispatched = await dispatchEventCommand(deps.orm.em.fork(), eventId);
  if (!dispatched) return { deliveries: 0, mails: 0 };
  for (const d of dispatched.deliveries) {
    if (d.status !== 'PENDING') continue;
    await startDeliveryWorkflow(starter(deps, taskQueue), {
      id: d.id,
      runs: d.runs,
      tenantId: dispatched.tenantId,
      type: dispatched.type,
    });
  }
  for (const to of dispatched.mailTo) {
    await deliverMail(deps, eventMail(deps.config.PORTAL_URL, dispatched, to));
  }
  return { deliveries: dispatched.deliveries.length, mails: dispatched.mailTo.length };
}

export function eventActivities(deps: ActivityDeps) {
  const em = () => deps.orm.em.fork();
  return {
    /**
     * Creates the event's deliveries (tenant subscription, subscribed endpoints of its workspace) once, starts
     * their workflows and mails the tenant's admins when asked to. Idempotent per event. Nothing to compensate.
     */
    async dispatchEvent(input: { key: string; eventId: string; taskQueue: string }) {
      return dispatchAndStart(deps, input.taskQueue, input.eventId);
    },

    /**
     * One attempt of a delivery to its current target, signed per Standard Webhooks with the event ID as
     * `webhook-id`; records the attempt and the delivery's new state. A target that no longer takes it (disabled,
     * deleted, unsubscribed) or a newer manual run stops this run. Nothing to compensate (a POST cannot be undone).
     */
    async attemptWebhookDelivery(input: {
      key: string;
      deliveryId: string;
      run: number;
      /** 0 for the run's first attempt: picks the wait before the next one from WEBHOOK_RETRY_SCHEDULE. */
      attemptInRun: number;
    }): Promise<AttemptResult> {
      const delivery = await findDeliveryTarget(em(), input.deliveryId);
      if (!delivery || delivery.status !== 'PENDING' || delivery.runs !== input.run)
        return { outcome: 'STOPPED' };
      if (!delivery.target) {
        await stopEventDelivery(em(), delivery.deliveryId, delivery.stopReason ?? 'stopped');
        return { outcome: 'STOPPED' };
      }
      const started = performance.now();
      const result = await postWebhook({
        url: delivery.target.url,
        secret: decryptWebhookSecret(deps.config.MFA_ENCRYPTION_KEY, delivery.target.secretEnc),
        webhookId: delivery.eventId,
        body: JSON.stringify(delivery.payload),
        allowLocal: deps.config.ALLOW_HTTP_WEBHOOKS,
        timeoutMs: deps.config.WEBHOOK_TIMEOUT_MS,
      });
      const wait = deps.config.WEBHOOK_RETRY_SCHEDULE_MS[input.attemptInRun] ?? null;
      const status =
        result.error === null ? 'SUCCEEDED' : result.refused || wait === null ? 'FAILED' : 'PENDING';
      await recordDeliveryAttempt(em(), {
        deliveryId: delivery.deliveryId,
        statusCode: result.statusCode,
        error: result.error,
        durationMs: Math.round(performance.now() - started),
        status,
        retryInMs: status === 'PENDING' ? wait : null,
      });
      if (status === 'PENDING') return { outcome: 'RETRY', retryInMs: wait! };
      return { outcome: status };
    },

    /**
     * The sweeper: dispatches events committed more than a few seconds ago whose dispatch never started (the
     * process died between commit and start), and restarts deliveries left PENDING without a workflow.
     * Idempotent (deterministic workflow IDs, dispatch once per event). Nothing to compensate.
     */
    async sweepEvents(input: { key: string; taskQueue: string; tenantId?: string }) {
      let events = 0;
      for (const e of await undispatchedEvents(em(), DISPATCH_GRACE_MS, SWEEP_BATCH, input.tenantId)) {
        await dispatchAndStart(deps, input.taskQueue, e.id);
        events += 1;
      }
      let deliveries = 0;
      for (const d of await pendingDeliveries(em(), 6 * DISPATCH_GRACE_MS, SWEEP_BATCH, input.tenantId)) {
        await startDeliveryWorkflow(starter(deps, input.taskQueue), d);
        deliveries += 1;
      }
      return { events, deliveries };
    },
  };
}
