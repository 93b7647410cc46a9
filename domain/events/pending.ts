// Events recorded in a transaction that has not committed yet, keyed by the transaction object (the commit hook
// reads them once the top-level transaction commits; a rolled-back transaction's list is dropped with it).
export interface PendingEvent {
  id: string;
  tenantId: string;
  type: string;
}

const pending = new WeakMap<object, PendingEvent[]>();

export function notePendingEvent(trx: object, event: PendingEvent): void {
  const list = pending.get(trx);
  if (list) list.push(event);
  else pending.set(trx, [event]);
}

/** The events of a committed transaction (once). */
export function takePendingEvents(trx: object): PendingEvent[] {
  const list = pending.get(trx) ?? [];
  pending.delete(trx);
  return list;
}
