// After a top-level transaction that recorded events commits, the process that committed starts the dispatch
// workflow (`event-dispatch-<eventId>`) of each event something wants (recordEvent stores an event nothing wants
// as dispatched; it starts none). A start lost to a crash or an outage is made good by the `event-sweep`
// Schedule (events undispatched after a grace period), so every wanted event is dispatched exactly once.
import { TransactionContext } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../logger';
import type { WorkflowStarter } from '../workflow-start';
import { takePendingEvents } from './pending';
import { startEventDispatch } from './start-deliveries';

const installed = new WeakSet<object>();

export function installEventDispatch(orm: MikroORM, starter: WorkflowStarter, logger: Logger): void {
  if (installed.has(orm)) return;
  installed.add(orm);
  orm.em.getEventManager().registerSubscriber({
    afterTransactionCommit(args) {
      const trx = args.transaction as object | undefined;
      // A savepoint's release is not a commit: its events wait for the sweeper (nested transactions are rare).
      if (!trx || 'savepointName' in trx) return;
      const events = takePendingEvents(trx);
      if (!events.length) return;
      // Not awaited: the caller's answer never waits for (or fails with) the dispatch start. Run outside the
      // committed transaction's context (the start policy refuses to start inside an open transaction).
      void TransactionContext.create(orm.em.fork(), async () => {
        for (const event of events) {
          try {
            await startEventDispatch(starter, event);
          } catch (err) {
            logger.warn(
              { eventId: event.id, err: err instanceof Error ? err.message : String(err) },
              'event dispatch start failed; the event sweep will dispatch it',
            );
          }
        }
      });
    },
  });
}
