// Ceiling worker process: the app's createWorker (same options) with the bench's workflows and activities, on
// its own task queue (TEMPORAL_TASK_QUEUE, set to bench-ceiling by the bench), until SIGINT/SIGTERM.
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from '../../domain/config';
import { createLogger } from '../../domain/logger';
import { openOrm } from '../../db/orm';
import { createWorker } from '../../worker/worker';
import { ceilingActivities } from './activities';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL).child({ process: 'ceiling-worker' });
  Runtime.install({ shutdownSignals: ['SIGINT', 'SIGTERM'] });
  const orm = await openOrm(config.DATABASE_URL, { poolMax: 1 });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('./workflows.ts', import.meta.url)),
    logger: {
      log: () => {},
      trace: () => {},
      debug: () => {},
      info: () => {},
      warn: () => {},
      error: console.error,
    },
  });
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    deps: { orm, config, logger },
    workflowBundle,
    activityOverrides: ceilingActivities,
  });
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'ceiling worker started');
  try {
    await worker.run();
  } finally {
    await connection.close();
    await orm.close();
  }
}

main().catch((err: unknown) => {
  console.error('ceiling worker failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
