// Liveness and readiness probes.
import type { Client } from '@temporalio/client';
import { createRouter, defineRoute, jsonContent, z } from '../openapi';
import { pingDatabase } from '../../db/orm';

const Ready = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.object({
    postgres: z.enum(['ok', 'down']),
    temporal: z.enum(['ok', 'down']),
    worker: z.enum(['ok', 'down']).openapi({
      description:
        'Whether a worker polls the task queue (informational: the status depends on PostgreSQL and Temporal)',
    }),
  }),
});

// Temporal's API enums (temporal.api.enums.v1), by value: @temporalio/proto is CommonJS and not a dependency of ours.
const TASK_QUEUE_KIND_NORMAL = 1;
const TASK_QUEUE_TYPE_WORKFLOW = 1;

/** How long a task-queue answer is reused, so probes do not put load on Temporal. */
const POLLER_CACHE_MS = 3000;
const pollerCache = new WeakMap<Client, Map<string, { at: number; polled: Promise<boolean> }>>();

/** Whether any worker polled `taskQueue` for workflow tasks recently (DescribeTaskQueue), cached a few seconds. */
export function taskQueueHasPollers(client: Client, taskQueue: string): Promise<boolean> {
  let byQueue = pollerCache.get(client);
  if (!byQueue) pollerCache.set(client, (byQueue = new Map()));
  const cached = byQueue.get(taskQueue);
  if (cached && Date.now() - cached.at < POLLER_CACHE_MS) return cached.polled;
  const polled = client.workflowService
    .describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue, kind: TASK_QUEUE_KIND_NORMAL },
      taskQueueType: TASK_QUEUE_TYPE_WORKFLOW,
    })
    .then((answer) => (answer.pollers?.length ?? 0) > 0);
  byQueue.set(taskQueue, { at: Date.now(), polled });
  return polled;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const healthRouter = createRouter()
  .openapi(
    defineRoute({
      method: 'get',
      path: '/health',
      tags: ['Operations'],
      summary: 'Liveness: 200 while the process runs',
      access: 'public',
      responses: { 200: jsonContent(z.object({ status: z.literal('ok') }), 'The process is running') },
    }),
    (c) => c.json({ status: 'ok' as const }, 200),
  )
  .openapi(
    defineRoute({
      method: 'get',
      path: '/ready',
      tags: ['Operations'],
      summary: 'Readiness: PostgreSQL and Temporal answer; whether a worker polls the task queue',
      access: 'public',
      responses: {
        200: jsonContent(Ready, 'Both dependencies answer'),
        503: jsonContent(Ready, 'A dependency is down; `checks` names it'),
      },
    }),
    async (c) => {
      const deps = c.get('deps');
      const [postgres, temporal, worker] = await Promise.all([
        withTimeout(pingDatabase(c.get('em')), 2000).then(
          () => 'ok' as const,
          () => 'down' as const,
        ),
        withTimeout(deps.temporal.workflowService.getSystemInfo({}), 2000).then(
          () => 'ok' as const,
          () => 'down' as const,
        ),
        withTimeout(taskQueueHasPollers(deps.temporal, deps.taskQueue), 2000).then(
          (polled) => (polled ? ('ok' as const) : ('down' as const)),
          () => 'down' as const,
        ),
      ]);
      const ok = postgres === 'ok' && temporal === 'ok';
      const body = {
        status: ok ? ('ok' as const) : ('unavailable' as const),
        checks: { postgres, temporal, worker },
      };
      return ok ? c.json(body, 200) : c.json(body, 503);
    },
  );
