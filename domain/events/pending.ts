// Events recorded in a transaction that has not committed yet, keyed by the transaction object (the commit hook
// reads them once the top-level transaction commits; a rolled-back transaction's list is dropped with it).
const pending = new WeakMap<object, string[]>();

export function notePendingEvent(trx: object, eventId: string): void {
  const list = pending.get(trx);
  if (list) list.push(eventId);
  else pending.set(trx, [eventId]);
}

/** The events of a committed transaction (once). */
export function takePendingEvents(trx: object): string[] {
  const list = pending.get(trx) ?? [];
  pending.delete(trx);
  return list;
}
