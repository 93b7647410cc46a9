// API process: validates configuration, connects to PostgreSQL and Temporal, serves HTTP until SIGINT/SIGTERM.
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../domain/config';
import { createLogger } from '../domain/logger';
import { openOrm } from '../db/orm';
import { createApp } from './app';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL).child({ process: 'api' });
  const orm = await openOrm(config.DATABASE_URL, { poolMax: 20 });
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const app = createApp({ config, orm, temporal, logger, taskQueue: config.TEMPORAL_TASK_QUEUE });
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: '0.0.0.0' }, (info) =>
    logger.info({ port: info.port }, 'api listening'),
  );
  const stop = () => {
    logger.info('api stopping');
    server.close(() => {
      void Promise.all([connection.close(), orm.close()]).then(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error('api failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
