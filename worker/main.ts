// Worker process: connects to Temporal and PostgreSQL, runs until SIGINT/SIGTERM, then drains and exits.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../domain/config';
import { createLogger } from '../domain/logger';
import { openOrm } from '../db/orm';
import { serveWorkerHealth } from './health';
import { ensureSchedules } from './schedules';
import { createWorker } from './worker';

/** The workflow bundle built with the image (`npm run build`: dist/workflow-bundle.js), when there is one. */
function prebuiltWorkflowBundle(): { codePath: string } | undefined {
  const path =
    process.env.WORKFLOW_BUNDLE_PATH ?? fileURLToPath(new URL('../workflow-bundle.js', import.meta.url));
  return existsSync(path) ? { codePath: path } : undefined;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL).child({ process: 'worker' });
  Runtime.install({ shutdownSignals: ['SIGINT', 'SIGTERM'] });
  const orm = await openOrm(config.DATABASE_URL, { poolMax: 20 });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE });
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    deps: { orm, config, logger, temporal },
    workflowBundle: prebuiltWorkflowBundle(),
  });
  const health = config.WORKER_HEALTH_PORT
    ? await serveWorkerHealth(worker, config.WORKER_HEALTH_PORT)
    : null;
  await ensureSchedules(temporal, config, config.TEMPORAL_TASK_QUEUE);
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, address: config.TEMPORAL_ADDRESS }, 'worker started');
  try {
    await worker.run();
  } finally {
    health?.close();
    await connection.close();
    await clientConnection.close();
    await orm.close();
    logger.info('worker stopped');
  }
}

main().catch((err: unknown) => {
  console.error('worker failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
