// A workspace's webhook endpoints: create (the `whsec_` secret is returned once, stored encrypted), change,
// delete, and the manual retry of a delivery. One transaction each, with its audit row. The URL check (https,
// public addresses) runs before these, in the route (it resolves DNS).
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, notFound } from '../errors';
import { auditBy, type Actor } from '../identity/actor';
import { encryptWebhookSecret, newWebhookSecret } from '../webhooks';
import { recordAudit } from '../../db/store/audit';
import {
  countEndpoints,
  deleteEndpoint,
  findEndpoint,
  findEndpointDelivery,
  insertEndpoint,
  reopenDelivery,
  updateEndpoint,
} from '../../db/store/events';
import type { WebhookEndpointEntity } from '../../db/entities/events';

/** A workspace has at most this many endpoints. */
export const MAX_ENDPOINTS_PER_WORKSPACE = 20;

export async function createWebhookEndpoint(
  em: EntityManager,
  input: { url: string; events: string[]; encryptionKey: string },
  actor: Actor,
): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
  return em.transactional(async (tx) => {
    if ((await countEndpoints(tx, actor.workspaceId)) >= MAX_ENDPOINTS_PER_WORKSPACE) {
      throw new AppError(
        'CONFLICT',
        `a workspace has at most ${MAX_ENDPOINTS_PER_WORKSPACE} webhook endpoints`,
      );
    }
    const secret = newWebhookSecret();
    const endpoint = await insertEndpoint(tx, {
      id: randomUUID(),
      tenantId: actor.tenantId,
      workspaceId: actor.workspaceId,
      url: input.url,
      events: [...new Set(input.events)],
      secretEnc: encryptWebhookSecret(input.encryptionKey, secret),
      createdBy: actor.userId,
    });
    await recordAudit(
      tx,
      auditBy(
        actor,
        'webhook_endpoint.created',
        { type: 'webhook_endpoint', id: endpoint.id },
        {
          url: input.url,
          events: endpoint.events,
        },
      ),
    );
    return { endpoint, secret };
  });
}

export async function updateWebhookEndpoint(
  em: EntityManager,
  input: { endpointId: string; url?: string; events?: string[]; enabled?: boolean },
  actor: Actor,
): Promise<WebhookEndpointEntity> {
  return em.transactional(async (tx) => {
    const endpoint = await findEndpoint(tx, actor.workspaceId, input.endpointId, true);
    if (!endpoint) throw notFound('webhook endpoint');
    const changes = {
      ...(input.url !== undefined ? { url: input.url } : {}),
      ...(input.events !== undefined ? { events: [...new Set(input.events)] } : {}),
      ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
    };
    await updateEndpoint(tx, endpoint, changes);
    await recordAudit(
      tx,
      auditBy(actor, 'webhook_endpoint.updated', { type: 'webhook_endpoint', id: endpoint.id }, changes),
    );
    return endpoint;
  });
}

/** Deletes the endpoint and its deliveries; running delivery workflows find it gone and stop. */
export async function deleteWebhookEndpoint(
  em: EntityManager,
  input: { endpointId: string },
  actor: Actor,
): Promise<void> {
  await em.transactional(async (tx) => {
    const endpoint = await findEndpoint(tx, actor.workspaceId, input.endpointId, true);
    if (!endpoint) throw notFound('webhook endpoint');
    await deleteEndpoint(tx, endpoint);
    await recordAudit(
      tx,
      auditBy(
        actor,
        'webhook_endpoint.deleted',
        { type: 'webhook_endpoint', id: endpoint.id },
        {
          url: endpoint.url,
        },
      ),
    );
  });
}

/**
 * A manual retry: the delivery is PENDING again under its next run number (an older run still waiting stops at
 * its next attempt); the caller starts that run's workflow. The event and its `webhook-id` stay the same.
 */
export async function retryWebhookDelivery(
  em: EntityManager,
  input: { endpointId: string; deliveryId: string },
  actor: Actor,
): Promise<{ deliveryId: string; run: number; type: string }> {
  return em.transactional(async (tx) => {
    const endpoint = await findEndpoint(tx, actor.workspaceId, input.endpointId);
    if (!endpoint) throw notFound('webhook endpoint');
    const delivery = await findEndpointDelivery(tx, endpoint.id, input.deliveryId);
    if (!delivery) throw notFound('delivery');
    if (!endpoint.enabled) throw new AppError('CONFLICT', 'the endpoint is disabled: enable it first');
    const run = await reopenDelivery(tx, delivery.id);
    await recordAudit(
      tx,
      auditBy(
        actor,
        'webhook_delivery.retried',
        { type: 'webhook_delivery', id: delivery.id },
        {
          endpointId: endpoint.id,
          run,
        },
      ),
    );
    return { deliveryId: delivery.id, run, type: delivery.type };
  });
}
