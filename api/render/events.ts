// The HTTP shapes of events, webhook endpoints and their deliveries.
import type { WebhookEndpointEntity } from '../../db/entities/events';
import { EVENT_TYPES } from '../../domain/events/contract';
import { z } from '../openapi';

export const EventSchema = z
  .object({
    id: z.uuid().openapi({ description: 'Also the `webhook-id` header of its deliveries.' }),
    type: z.string(),
    createdAt: z.string(),
    tenantId: z.uuid(),
    workspaceId: z.uuid().nullable(),
    data: z.record(z.string(), z.unknown()).openapi({ description: 'The resource as this API shows it.' }),
  })
  .openapi('Event');

export const WebhookEndpointSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    events: z.array(z.enum(EVENT_TYPES)),
    enabled: z.boolean(),
    createdAt: z.string(),
  })
  .openapi('WebhookEndpoint');

export const CreatedWebhookEndpointSchema = WebhookEndpointSchema.extend({
  secret: z.string().openapi({
    description:
      'The `whsec_` signing secret (Standard Webhooks), shown only in this answer. Verify deliveries with any Standard Webhooks library.',
  }),
}).openapi('CreatedWebhookEndpoint');

export const DeliverySchema = z
  .object({
    id: z.uuid(),
    eventId: z.uuid(),
    eventType: z.string(),
    status: z.enum(['PENDING', 'SUCCEEDED', 'FAILED']),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastAttemptAt: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
  })
  .openapi('WebhookDelivery');

export function endpointJson(e: WebhookEndpointEntity) {
  return {
    id: e.id,
    url: e.url,
    events: e.events as (typeof EVENT_TYPES)[number][],
    enabled: e.enabled,
    createdAt: new Date(e.createdAt).toISOString(),
  };
}
