// Fans one committed event out into its deliveries, once: the tenant's subscription (the whole tenant's events)
// and the enabled endpoints of the event's workspace subscribed to its type. Marks the event dispatched in the
// same transaction; a second call finds the deliveries made by the first. Returns them for their workflows.
// The same subscription rules (db/store/events.ts TENANT_SUBSCRIBED, ENDPOINT_SUBSCRIBED) and the tenant's mail
// decide in insertEvent whether an event is dispatched at all.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  deliveriesOfEvent,
  eventPayload,
  findEvent,
  insertEventDelivery,
  markEventDispatched,
  subscribedEndpoints,
  tenantAdminEmails,
  tenantSubscriptionUrl,
} from '../../db/store/events';
import { findNotificationSettings } from '../../db/store/notifications';
import { EMAIL_EVENTS, type EventType } from './contract';

export interface DispatchedEvent {
  eventId: string;
  type: string;
  tenantId: string;
  deliveries: { id: string; runs: number; status: string }[];
  /** Tenant admins to mail (the tenant's emailEnabled is on and the type is one that mails). */
  mailTo: string[];
  data: Record<string, unknown>;
}

export async function dispatchEvent(em: EntityManager, eventId: string): Promise<DispatchedEvent | null> {
  return em.transactional(async (tx) => {
    const event = await findEvent(tx, eventId, true);
    if (!event) return null;
    const settings = await findNotificationSettings(tx, event.tenant);
    if (!event.dispatchedAt) {
      const payload = eventPayload(event);
      const tenantUrl = await tenantSubscriptionUrl(tx, event.tenant, event.type);
      if (tenantUrl) {
        await insertEventDelivery(tx, {
          id: randomUUID(),
          tenantId: event.tenant,
          eventId: event.id,
          endpointId: null,
          type: event.type,
          url: tenantUrl,
          payload,
        });
      }
      if (event.workspace) {
        for (const endpoint of await subscribedEndpoints(tx, event.workspace, event.type)) {
          await insertEventDelivery(tx, {
            id: randomUUID(),
            tenantId: event.tenant,
            eventId: event.id,
            endpointId: endpoint.id,
            type: event.type,
            url: endpoint.url,
            payload,
          });
        }
      }
      await markEventDispatched(tx, event.id);
    }
    const mails = settings?.emailEnabled && EMAIL_EVENTS.includes(event.type as EventType);
    return {
      eventId: event.id,
      type: event.type,
      tenantId: event.tenant,
      deliveries: await deliveriesOfEvent(tx, event.id),
      mailTo: mails ? await tenantAdminEmails(tx, event.tenant) : [],
      data: event.data,
    };
  });
}
