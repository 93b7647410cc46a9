// The event, webhook_endpoint, webhook_delivery and webhook_attempt tables: the only module that writes them. Lists are keyset-paginated on (created_at, id), newest first.
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { Event, WebhookEndpoint, type EventEntity, type WebhookEndpointEntity } from '../entities/events';
import {
  NotificationSettings,
  WebhookAttempt,
  WebhookDelivery,
  type WebhookDeliveryEntity,
} from '../entities/messaging';
import { cursorTimestamp, keysetQuery } from '../keyset';

export interface NewEvent {
  id: string;
  tenantId: string;
  workspaceId: string | null;
  type: string;
  dedupeKey: string;
  data: Record<string, unknown>;
  /** The tenant's admins are mailed this type when its `emailEnabled` is on (domain/events EMAIL_EVENTS). */
  mails: boolean;
}

/** The tenant's webhook subscription (`s`, notification_settings) takes events of type `?`. */
const TENANT_SUBSCRIBED = `s.webhook_url is not null and s.webhook_secret_enc is not null and ? = any(s.events)`;
/** An endpoint (`w`) of workspace `?`, enabled, subscribed to type `?`. */
const ENDPOINT_SUBSCRIBED = `w.workspace_id = ? and w.enabled and ? = any(w.events)`;

/**
 * Inserts the event unless its dedupe key exists (then null). In the same statement it decides whether anything
 * wants the event, with the targets `dispatchEvent` delivers to: the tenant's webhook subscription to its type,
 * an enabled endpoint of its workspace subscribed to it, or the tenant's mail (`mails` and `email_enabled`).
 * An event nothing wants is stored dispatched (no deliveries): no dispatch workflow, never swept.
 */
export async function insertEvent(em: EntityManager, e: NewEvent): Promise<{ wanted: boolean } | null> {
  const rows = await em.execute<{ wanted: boolean }[]>(
    `insert into event (id, tenant_id, workspace_id, type, dedupe_key, data, created_at, dispatched_at)
     values (?, ?, ?, ?, ?, ?, clock_timestamp(),
       case when exists (select 1 from notification_settings s
                          where s.tenant_id = ? and ((${TENANT_SUBSCRIBED}) or (s.email_enabled and ?::boolean)))
              or exists (select 1 from webhook_endpoint w where ${ENDPOINT_SUBSCRIBED})
            then null else clock_timestamp() end)
     on conflict (dedupe_key) do nothing
     returning dispatched_at is null as wanted`,
    [
      e.id,
      e.tenantId,
      e.workspaceId,
      e.type,
      e.dedupeKey,
      JSON.stringify(e.data),
      e.tenantId,
      e.type,
      e.mails,
      e.workspaceId,
      e.type,
    ],
  );
  return rows[0] ? { wanted: rows[0].wanted } : null;
}

export function findEvent(em: EntityManager, id: string, lock = false): Promise<EventEntity | null> {
  return em.findOne(Event, { id }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
}

export async function markEventDispatched(em: EntityManager, id: string): Promise<void> {
  await em.nativeUpdate(Event, { id, dispatchedAt: null }, { dispatchedAt: new Date() });
}

/** Events whose dispatch has not happened although they committed more than `graceMs` ago (oldest first). */
export async function undispatchedEvents(
  em: EntityManager,
  graceMs: number,
  limit: number,
  tenantId?: string,
): Promise<{ id: string; tenantId: string }[]> {
  const rows = await em.execute<{ id: string; tenant_id: string }[]>(
    `select id, tenant_id from event
      where dispatched_at is null and created_at < clock_timestamp() - (? * interval '1 millisecond')
        ${tenantId ? 'and tenant_id = ?' : ''}
      order by created_at limit ?`,
    tenantId ? [graceMs, tenantId, limit] : [graceMs, limit],
  );
  return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id }));
}

export interface EventRow {
  id: string;
  type: string;
  tenantId: string;
  workspaceId: string | null;
  data: Record<string, unknown>;
  createdAt: string;
}

interface RawEvent {
  id: string;
  type: string;
  tenant_id: string;
  workspace_id: string | null;
  data: Record<string, unknown>;
  created_at: Date;
  cursor_at: string;
}

/** A tenant's events (workspaceId null) or one workspace's, newest first. */
export async function listEvents(
  em: EntityManager,
  f: {
    tenantId: string;
    workspaceId: string | null;
    type?: string;
    after: { createdAt: string; id: string } | null;
    limit: number;
  },
): Promise<{ id: string; createdAt: string; event: EventRow }[]> {
  const q = keysetQuery(
    `select id, type, tenant_id, workspace_id, data, created_at, ${cursorTimestamp('created_at')} as cursor_at
       from event`,
    [
      ['tenant_id = ?', f.tenantId],
      f.workspaceId && ['workspace_id = ?', f.workspaceId],
      f.type && ['type = ?', f.type],
    ],
    f,
  );
  const rows = await em.execute<RawEvent[]>(q.sql, q.params);
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.cursor_at,
    event: {
      id: r.id,
      type: r.type,
      tenantId: r.tenant_id,
      workspaceId: r.workspace_id,
      data: r.data,
      createdAt: new Date(r.created_at).toISOString(),
    },
  }));
}

/** The event as a receiver gets it. */
export function eventPayload(e: EventEntity) {
  return {
    id: e.id,
    type: e.type,
    createdAt: new Date(e.createdAt).toISOString(),
    tenantId: e.tenant,
    workspaceId: e.workspace ?? null,
    data: e.data,
  };
}

// ---- endpoints

export function findEndpoint(
  em: EntityManager,
  workspaceId: string,
  id: string,
  lock = false,
): Promise<WebhookEndpointEntity | null> {
  return em.findOne(
    WebhookEndpoint,
    { id, workspace: workspaceId },
    lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {},
  );
}

export function listEndpoints(em: EntityManager, workspaceId: string): Promise<WebhookEndpointEntity[]> {
  return em.find(WebhookEndpoint, { workspace: workspaceId }, { orderBy: { createdAt: 'desc', id: 'desc' } });
}

export async function countEndpoints(em: EntityManager, workspaceId: string): Promise<number> {
  return em.count(WebhookEndpoint, { workspace: workspaceId });
}

export async function insertEndpoint(
  em: EntityManager,
  e: {
    id: string;
    tenantId: string;
    workspaceId: string;
    url: string;
    events: string[];
    secretEnc: string;
    createdBy: string | null;
  },
): Promise<WebhookEndpointEntity> {
  const now = new Date();
  const row = em.create(WebhookEndpoint, {
    id: e.id,
    tenant: e.tenantId,
    workspace: e.workspaceId,
    url: e.url,
    events: e.events,
    enabled: true,
    secretEnc: e.secretEnc,
    createdBy: e.createdBy,
    createdAt: now,
    updatedAt: now,
  });
  await em.flush();
  return row;
}

export async function updateEndpoint(
  em: EntityManager,
  row: WebhookEndpointEntity,
  changes: { url?: string; events?: string[]; enabled?: boolean },
): Promise<void> {
  em.assign(row, { ...changes, updatedAt: new Date() });
  await em.flush();
}

export async function deleteEndpoint(em: EntityManager, row: WebhookEndpointEntity): Promise<void> {
  await em.nativeDelete(WebhookEndpoint, { id: row.id });
}

/** The enabled endpoints of a workspace subscribed to `type`. */
export async function subscribedEndpoints(
  em: EntityManager,
  workspaceId: string,
  type: string,
): Promise<{ id: string; url: string }[]> {
  return em.execute<{ id: string; url: string }[]>(
    `select w.id, w.url from webhook_endpoint w where ${ENDPOINT_SUBSCRIBED} order by w.id`,
    [workspaceId, type],
  );
}

/** The URL of the tenant's webhook subscription when it takes events of this type, else null. */
export async function tenantSubscriptionUrl(
  em: EntityManager,
  tenantId: string,
  type: string,
): Promise<string | null> {
  const [row] = await em.execute<{ url: string }[]>(
    `select s.webhook_url as url from notification_settings s where s.tenant_id = ? and ${TENANT_SUBSCRIBED}`,
    [tenantId, type],
  );
  return row?.url ?? null;
}

// ---- deliveries

/** Inserts the delivery of an event to one target once (eventKey = `<eventId>:<endpointId|tenant>`). */
export async function insertEventDelivery(
  em: EntityManager,
  d: {
    id: string;
    tenantId: string;
    eventId: string;
    endpointId: string | null;
    type: string;
    url: string;
    payload: Record<string, unknown>;
  },
): Promise<void> {
  await em.execute(
    `insert into webhook_delivery (id, tenant_id, event_key, event_id, endpoint_id, event, url, payload, status,
       attempts, runs, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, 0, clock_timestamp())
     on conflict (event_key) do nothing`,
    [
      d.id,
      d.tenantId,
      `${d.eventId}:${d.endpointId ?? 'tenant'}`,
      d.eventId,
      d.endpointId,
      d.type,
      d.url,
      JSON.stringify(d.payload),
    ],
  );
}

/** The deliveries of an event (with their current run), for starting their workflows. */
export async function deliveriesOfEvent(
  em: EntityManager,
  eventId: string,
): Promise<{ id: string; runs: number; status: string }[]> {
  return em.execute(`select id, runs, status from webhook_delivery where event_id = ? order by id`, [
    eventId,
  ]);
}

/**
 * PENDING outbox deliveries that look abandoned: created more than `graceMs` ago and never attempted, or overdue
 * for their next attempt by more than `graceMs` (a live workflow is sleeping until then). The sweeper (re)starts
 * their current run's workflow; a running one makes that start a no-op.
 */
export async function pendingDeliveries(
  em: EntityManager,
  graceMs: number,
  limit: number,
  tenantId?: string,
): Promise<{ id: string; runs: number; tenantId: string; type: string }[]> {
  const rows = await em.execute<{ id: string; runs: number; tenant_id: string; event: string }[]>(
    `select id, runs, tenant_id, event from webhook_delivery
      where status = 'PENDING' and event_id is not null
        and created_at < clock_timestamp() - (? * interval '1 millisecond')
        and coalesce(next_attempt_at, created_at) < clock_timestamp() - (? * interval '1 millisecond')
        ${tenantId ? 'and tenant_id = ?' : ''}
      order by created_at limit ?`,
    tenantId ? [graceMs, graceMs, tenantId, limit] : [graceMs, graceMs, limit],
  );
  return rows.map((r) => ({ id: r.id, runs: r.runs, tenantId: r.tenant_id, type: r.event }));
}

export interface DeliveryTarget {
  deliveryId: string;
  status: string;
  runs: number;
  attempts: number;
  eventId: string;
  payload: Record<string, unknown>;
  /** null when the target no longer takes it: endpoint deleted or disabled, subscription removed. */
  target: { url: string; secretEnc: string } | null;
  stopReason: string | null;
}

/** A delivery with what its current target is (endpoints and settings may have changed since the event). */
export async function findDeliveryTarget(
  em: EntityManager,
  deliveryId: string,
  lock = false,
): Promise<DeliveryTarget | null> {
  const d = await em.findOne(
    WebhookDelivery,
    { id: deliveryId },
    lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {},
  );
  if (!d || !d.sourceEvent) return null;
  const base = {
    deliveryId: d.id,
    status: d.status,
    runs: d.runs,
    attempts: d.attempts,
    eventId: d.sourceEvent,
    payload: d.payload,
  };
  if (d.endpoint) {
    const endpoint = await em.findOne(WebhookEndpoint, { id: d.endpoint });
    if (!endpoint) return { ...base, target: null, stopReason: 'the endpoint was deleted' };
    if (!endpoint.enabled) return { ...base, target: null, stopReason: 'the endpoint is disabled' };
    return { ...base, target: { url: endpoint.url, secretEnc: endpoint.secretEnc }, stopReason: null };
  }
  const settings = await em.findOne(NotificationSettings, { tenant: d.tenant });
  if (!settings?.webhookUrl || !settings.webhookSecretEnc || !settings.events.includes(d.event)) {
    return { ...base, target: null, stopReason: 'the tenant no longer subscribes to this event' };
  }
  return {
    ...base,
    target: { url: settings.webhookUrl, secretEnc: settings.webhookSecretEnc },
    stopReason: null,
  };
}

/** An error as a delivery and its attempts store it: its first 500 characters. */
function storedError(error: string | null): string | null {
  return error?.slice(0, 500) ?? null;
}

/** The row of one attempt at a delivery. */
function addAttempt(
  em: EntityManager,
  deliveryId: string,
  attempt: number,
  outcome: { statusCode: number | null; error: string | null; durationMs: number },
  at: Date,
): void {
  em.create(WebhookAttempt, {
    delivery: deliveryId,
    attempt,
    statusCode: outcome.statusCode,
    error: outcome.error,
    durationMs: outcome.durationMs,
    createdAt: at,
  });
}

/** Records one attempt (numbered after the delivery's previous ones) and the delivery's new state. */
export async function recordEventDeliveryAttempt(
  em: EntityManager,
  deliveryId: string,
  outcome: {
    statusCode: number | null;
    error: string | null;
    durationMs: number;
    status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
    nextAttemptAt: Date | null;
  },
): Promise<number> {
  const delivery = await em.findOneOrFail(
    WebhookDelivery,
    { id: deliveryId },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  const attempt = delivery.attempts + 1;
  const error = storedError(outcome.error);
  const now = new Date();
  addAttempt(em, deliveryId, attempt, { ...outcome, error }, now);
  em.assign(delivery, {
    attempts: attempt,
    lastStatusCode: outcome.statusCode,
    lastError: error,
    lastAttemptAt: now,
    nextAttemptAt: outcome.nextAttemptAt,
    status: outcome.status,
    ...(outcome.status === 'SUCCEEDED' ? { deliveredAt: now } : {}),
  });
  await em.flush();
  return attempt;
}

/** Ends a PENDING delivery FAILED (its target stopped taking it, or its retries ran out). */
export async function stopDelivery(em: EntityManager, deliveryId: string, reason: string): Promise<void> {
  await em.nativeUpdate(
    WebhookDelivery,
    { id: deliveryId, status: 'PENDING' },
    { status: 'FAILED', lastError: storedError(reason), nextAttemptAt: null },
  );
}

/** A manual retry: PENDING again under the next run number; returns that run. */
export async function reopenDelivery(em: EntityManager, deliveryId: string): Promise<number> {
  const d = await em.findOneOrFail(
    WebhookDelivery,
    { id: deliveryId },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  em.assign(d, { status: 'PENDING', runs: d.runs + 1, nextAttemptAt: new Date() });
  await em.flush();
  return d.runs;
}

export interface DeliveryRow {
  id: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
}

/** One endpoint's deliveries, newest first. */
export async function listDeliveries(
  em: EntityManager,
  f: {
    endpointId: string;
    status?: string;
    after: { createdAt: string; id: string } | null;
    limit: number;
  },
): Promise<{ id: string; createdAt: string; delivery: DeliveryRow }[]> {
  const q = keysetQuery(
    `select id, event_id, event, status, attempts, last_status_code, last_attempt_at, next_attempt_at,
            ${cursorTimestamp('created_at')} as cursor_at
       from webhook_delivery`,
    [
      ['endpoint_id = ?', f.endpointId],
      f.status === 'SUCCEEDED'
        ? [`status in ('SUCCEEDED', 'DELIVERED')`]
        : f.status && ['status = ?', f.status],
    ],
    f,
  );
  const rows = await em.execute<
    {
      id: string;
      event_id: string;
      event: string;
      status: string;
      attempts: number;
      last_status_code: number | null;
      last_attempt_at: Date | null;
      next_attempt_at: Date | null;
      cursor_at: string;
    }[]
  >(q.sql, q.params);
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.cursor_at,
    delivery: {
      id: r.id,
      eventId: r.event_id,
      eventType: r.event,
      status: r.status === 'DELIVERED' ? 'SUCCEEDED' : r.status,
      attempts: r.attempts,
      lastStatusCode: r.last_status_code,
      lastAttemptAt: iso(r.last_attempt_at),
      nextAttemptAt: iso(r.next_attempt_at),
      createdAt: r.cursor_at,
    },
  }));
}

/** A delivery of this endpoint (for the manual retry), or null. */
export async function findEndpointDelivery(
  em: EntityManager,
  endpointId: string,
  deliveryId: string,
): Promise<{ id: string; status: string; runs: number; type: string } | null> {
  const d = await em.findOne(WebhookDelivery, { id: deliveryId, endpoint: endpointId });
  return d ? { id: d.id, status: d.status, runs: d.runs, type: d.event } : null;
}

/** The tenant's own (TENANT) workspace: where tenant-level resources' events (partners, batches) belong. */
export async function tenantWorkspaceId(em: EntityManager, tenantId: string): Promise<string | null> {
  const [row] = await em.execute<{ id: string }[]>(
    `select id from workspace where tenant_id = ? and kind = 'TENANT' order by created_at limit 1`,
    [tenantId],
  );
  return row?.id ?? null;
}

/** The (contact, else login) emails of the tenant's admins: ACTIVE members holding the Admin role of the tenant's workspace. */
export async function tenantAdminEmails(em: EntityManager, tenantId: string): Promise<string[]> {
  const rows = await em.execute<{ email: string }[]>(
    `select distinct coalesce(u.contact_email, u.login_email) as email from membership m
       join workspace w on w.id = m.workspace_id and w.kind = 'TENANT' and w.tenant_id = ?
       join role r on r.id = m.role_id and r.name = 'Admin'
       join app_user u on u.id = m.user_id
      where m.status = 'ACTIVE' order by email`,
    [tenantId],
  );
  return rows.map((r) => r.email);
}

// Deliveries of the legacy per-event notify workflow (notifyTenantWorkflow), kept while such runs may be open.

export function findDeliveryByKey(
  em: EntityManager,
  eventKey: string,
): Promise<WebhookDeliveryEntity | null> {
  return em.findOne(WebhookDelivery, { eventKey });
}

export async function insertDelivery(
  em: EntityManager,
  d: {
    id: string;
    tenantId: string;
    eventKey: string;
    event: string;
    url: string;
    payload: Record<string, unknown>;
  },
): Promise<void> {
  em.create(WebhookDelivery, {
    id: d.id,
    tenant: d.tenantId,
    eventKey: d.eventKey,
    event: d.event,
    url: d.url,
    payload: d.payload,
    status: 'PENDING',
    attempts: 0,
    createdAt: new Date(),
  });
  await em.flush();
}

export interface DeliveryToSend {
  id: string;
  url: string;
  event: string;
  payload: Record<string, unknown>;
  status: string;
  webhookSecretEnc: string | null;
}

/** The delivery with the tenant's current (encrypted) secret, or null. */
export async function findDeliveryToSend(
  em: EntityManager,
  deliveryId: string,
): Promise<DeliveryToSend | null> {
  const delivery = await em.findOne(WebhookDelivery, { id: deliveryId });
  if (!delivery) return null;
  const settings = await em.findOne(NotificationSettings, { tenant: delivery.tenant });
  return {
    id: delivery.id,
    url: delivery.url,
    event: delivery.event,
    payload: delivery.payload,
    status: delivery.status,
    webhookSecretEnc: settings?.webhookSecretEnc ?? null,
  };
}

/** Records one attempt (once per attempt number) and the delivery's latest outcome. */
export async function recordDeliveryAttempt(
  em: EntityManager,
  deliveryId: string,
  attempt: number,
  outcome: { statusCode: number | null; error: string | null; durationMs: number; delivered: boolean },
): Promise<void> {
  const error = storedError(outcome.error);
  if (!(await em.count(WebhookAttempt, { delivery: deliveryId, attempt }))) {
    addAttempt(em, deliveryId, attempt, { ...outcome, error }, new Date());
  }
  const delivery = await em.findOneOrFail(WebhookDelivery, { id: deliveryId });
  em.assign(delivery, {
    attempts: delivery.attempts + 1,
    lastStatusCode: outcome.statusCode,
    lastError: error,
    ...(outcome.delivered ? { status: 'DELIVERED', deliveredAt: new Date() } : {}),
  });
  await em.flush();
}

export async function markDeliveryFailed(em: EntityManager, deliveryId: string): Promise<void> {
  await em.nativeUpdate(WebhookDelivery, { id: deliveryId, status: 'PENDING' }, { status: 'FAILED' });
}
