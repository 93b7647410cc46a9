// Builds a Temporal worker: bundled workflow code, activities with their dependencies, graceful shutdown.
import { installEventDispatch } from '../domain/events/dispatch-on-commit';
import { fileURLToPath } from 'node:url';
import type { NativeConnection } from '@temporalio/worker';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Duration } from '@temporalio/common';
import { createActivities, type ActivityDeps } from '../activities/index';
import { activityInterceptors } from './interceptors';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** Bundles workflow code once (webpack); tests and the dev stack reuse the bundle. */
export async function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger });
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  workflowBundle?: WorkflowBundleWithSourceMap | { codePath: string };
  /** Replace some activities (failure injection in tests). */
  activityOverrides?: Record<string, (...args: never[]) => Promise<unknown>>;
  shutdownGraceTime?: Duration;
  /** When a graceful shutdown gives up (default 30s): a local activity still running then is abandoned. */
  shutdownForceTime?: Duration;
}

export async function createWorker(options: WorkerOptions): Promise<Worker> {
  const activities = { ...createActivities(options.deps), ...options.activityOverrides };
  if (options.deps.temporal) {
    const starter = { temporal: options.deps.temporal, taskQueue: options.taskQueue };
    installEventDispatch(options.deps.orm, starter, options.deps.logger);
  }
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH }),
    shutdownGraceTime: options.shutdownGraceTime ?? '20s',
    // A local activity (an INTERNAL transfer's hold and post) keeps its workflow task open, and a graceful shutdown
    // waits for it; a hung one must not keep the worker from stopping: the task times out and another worker
    // repeats the (idempotent) steps.
    shutdownForceTime: options.shutdownForceTime ?? '30s',
    // A crashed worker's cached workflows wait this long on its sticky queue before any worker takes them
    // (SDK default 10s): every transfer of a killed worker would stall that long. 3s still lets a live but busy
    // worker keep its cache.
    stickyQueueScheduleToStartTimeout: '3s',
    maxConcurrentActivityTaskExecutions: 100,
    // The SDK sizes its workflow cache from the heap limit (about 2,300 workflows, ~1 MB each, on this machine's
    // 4 GB default heap): a 10,000-row onboarding batch leaves thousands of invitation workflows waiting on their
    // expiry timers and the worker grew past 1.5 GiB. Evicted workflows replay their (short) history when their next
    // task comes.
    maxCachedWorkflows: 250,
    interceptors: { activity: activityInterceptors },
  });
}
