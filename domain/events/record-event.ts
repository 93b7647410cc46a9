// The one way an area records an event: inside the caller's transaction (the outbox row commits or rolls back
// with the change it describes). An event nothing wants (no subscribed webhook target, no tenant mail) is stored
// already dispatched. Any other: after the commit, the process that committed starts the event's dispatch
// workflow (domain/events/dispatch-on-commit.ts); the sweeper dispatches any event whose start was lost.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { insertEvent } from '../../db/store/events';
import { EMAIL_EVENTS, type EventType } from './contract';
import { notePendingEvent } from './pending';

export interface RecordEventInput {
  type: EventType;
  tenantId: string;
  /** The workspace whose endpoints receive it (a partner's transfer: the partner's workspace). */
  workspaceId: string | null;
  /** The resource as the API shows it. */
  data: Record<string, unknown>;
  /** One event per change: a repeated key records nothing (default: a fresh key). */
  key?: string;
}

/** Writes the event row in `em`'s open transaction; returns its ID, or null when the key was recorded before. */
export async function recordEvent(em: EntityManager, input: RecordEventInput): Promise<string | null> {
  const trx = em.getTransactionContext();
  if (!trx) throw new Error(`recordEvent(${input.type}) outside a transaction: call it in the change's one`);
  const id = randomUUID();
  const inserted = await insertEvent(em, {
    id,
    tenantId: input.tenantId,
    workspaceId: input.workspaceId,
    type: input.type,
    dedupeKey: input.key ?? `${input.type}:${id}`,
    data: input.data,
    mails: EMAIL_EVENTS.includes(input.type),
  });
  if (!inserted) return null;
  if (inserted.wanted) notePendingEvent(trx, { id, tenantId: input.tenantId, type: input.type });
  return id;
}
