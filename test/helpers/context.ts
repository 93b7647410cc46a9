// Per-test-file harness: ORM, Temporal client, an in-process worker on its own task queue, and the Hono app.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger, type Worker } from '@temporalio/worker';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createApp } from '../../api/app';
import { loadConfig, type Config } from '../../domain/config';
import { createLogger, type Logger } from '../../domain/logger';
import { openOrm } from '../../db/orm';
import { createWorker } from '../../worker/worker';

export interface TestContext {
  config: Config;
  orm: MikroORM;
  temporal: Client;
  nativeConnection: NativeConnection;
  taskQueue: string;
  app: ReturnType<typeof createApp>;
  worker: Worker | null;
  /** Starts another worker on this file's task queue (e.g. after killing one), with optional activity overrides. */
  startWorker: (overrides?: Record<string, (...args: never[]) => Promise<unknown>>) => Promise<Worker>;
}

let runtimeInstalled = false;

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: inject('databaseUrl'),
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    PLATFORM_ADMIN_TOKEN: 'test-platform-admin-token-0123456789',
    DEV_OUTBOX: '1',
    ALLOW_HTTP_WEBHOOKS: '1',
    LOG_LEVEL: 'silent',
    CHANNEL_CONFIRM_TIMEOUT: '5s',
    MFA_ENCRYPTION_KEY: '7f'.repeat(32),
    ...overrides,
  });
}

/**
 * Registers beforeAll/afterAll hooks. `worker: false` skips the in-process worker (pure HTTP tests);
 * `activityOverrides` replaces activities for failure injection.
 */
export function useTestContext(
  options: {
    worker?: boolean;
    env?: Record<string, string>;
    activityOverrides?: Record<string, (...args: never[]) => Promise<unknown>>;
    /** The app's and the worker's logger (default: silent); tests that inspect the log pass their own. */
    logger?: Logger;
  } = {},
): TestContext {
  const ctx = {} as TestContext;
  const running: Promise<void>[] = [];
  const workers: Worker[] = [];

  beforeAll(async () => {
    if (!runtimeInstalled) {
      Runtime.install({
        logger: new DefaultLogger((process.env.TEST_TEMPORAL_LOG as 'ERROR') ?? 'ERROR'),
        shutdownSignals: [],
      });
      runtimeInstalled = true;
    }
    ctx.config = testConfig(options.env);
    ctx.taskQueue = `test-${randomUUID()}`;
    ctx.orm = await openOrm(ctx.config.DATABASE_URL, { poolMax: 10 });
    const connection = await Connection.connect({ address: ctx.config.TEMPORAL_ADDRESS });
    ctx.temporal = new Client({ connection, namespace: 'default' });
    ctx.nativeConnection = await NativeConnection.connect({ address: ctx.config.TEMPORAL_ADDRESS });
    const logger = options.logger ?? createLogger('silent');
    ctx.app = createApp({
      config: ctx.config,
      orm: ctx.orm,
      temporal: ctx.temporal,
      logger,
      taskQueue: ctx.taskQueue,
    });
    ctx.startWorker = async (overrides) => {
      const worker = await createWorker({
        connection: ctx.nativeConnection,
        namespace: 'default',
        taskQueue: ctx.taskQueue,
        deps: { orm: ctx.orm, config: ctx.config, logger, temporal: ctx.temporal },
        workflowBundle: { codePath: inject('workflowBundlePath') },
        activityOverrides: overrides ?? options.activityOverrides,
        shutdownGraceTime: '1s',
      });
      workers.push(worker);
      running.push(worker.run());
      return worker;
    };
    ctx.worker = options.worker === false ? null : await ctx.startWorker();
  });

  afterAll(async () => {
    for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
    await Promise.allSettled(running);
    await ctx.nativeConnection?.close();
    await ctx.temporal?.connection.close();
    await ctx.orm?.close();
  });

  return ctx;
}

/** The file's app built again with some of its dependencies replaced (a failing client, another logger, ...). */
export function appWith(
  ctx: TestContext,
  deps: Partial<Parameters<typeof createApp>[0]>,
): ReturnType<typeof createApp> {
  return createApp({
    config: ctx.config,
    orm: ctx.orm,
    temporal: ctx.temporal,
    logger: createLogger('silent'),
    taskQueue: ctx.taskQueue,
    ...deps,
  });
}
