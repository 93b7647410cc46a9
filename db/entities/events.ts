// The event outbox (one row per business change, written in the change's transaction) and workspace webhook
// endpoints. Deliveries of events to endpoints and to the tenant subscription are webhook_delivery rows.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Tenant, Workspace } from './tenancy';

/** One business event `{ id, type, createdAt, tenantId, workspaceId, data }` (API.md "Events and webhooks"). */
export const Event = defineEntity({
  name: 'Event',
  tableName: 'event',
  properties: {
    id: p.uuid().primary(),
    tenant: p.manyToOne(Tenant).mapToPk().deleteRule('cascade'),
    workspace: p.manyToOne(Workspace).mapToPk().nullable().deleteRule('cascade'),
    type: p.string().length(100),
    /** One event per change: a retried command records nothing new (e.g. `transfer.completed:<id>`). */
    dedupeKey: p.string().length(300).unique(),
    /** The resource as the API shows it. */
    data: p.json<Record<string, unknown>>(),
    /** Set once its deliveries exist (the dispatch); null rows are picked up by the sweeper. */
    dispatchedAt: p.datetime(3).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
  indexes: [{ properties: ['tenant', 'createdAt'] }, { properties: ['workspace', 'createdAt'] }],
});

/** A workspace's webhook endpoint: receives that workspace's events of the subscribed types. */
export const WebhookEndpoint = defineEntity({
  name: 'WebhookEndpoint',
  tableName: 'webhook_endpoint',
  properties: {
    id: p.uuid().primary(),
    tenant: p.manyToOne(Tenant).mapToPk().deleteRule('cascade'),
    workspace: p.manyToOne(Workspace).mapToPk().deleteRule('cascade'),
    url: p.string().length(2048),
    events: p.array().defaultRaw("'{}'"),
    enabled: p.boolean().default(true),
    /** AES-256-GCM encrypted `whsec_` signing secret (domain/webhooks.ts). */
    secretEnc: p.string().length(500).hidden(),
    createdBy: p.uuid().nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p.datetime(3).onCreate(() => new Date()),
  },
  indexes: [{ properties: ['workspace', 'createdAt'] }],
});

export type EventEntity = InferEntity<typeof Event>;
export type WebhookEndpointEntity = InferEntity<typeof WebhookEndpoint>;
