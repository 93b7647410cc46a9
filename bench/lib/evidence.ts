// What limits a figure: a workflow's history broken into queue and run times, Temporal server metrics,
// pg_stat_statements, and samples of what PostgreSQL sessions wait on.
import type { Client } from '@temporalio/client';
import pg from 'pg';
import { percentile } from './load';

type Timestamp = { seconds?: unknown; nanos?: number | null } | null | undefined;

function msOf(ts: Timestamp): number {
  if (!ts) return 0;
  const s = ts.seconds as { toNumber?: () => number } | number | string | undefined;
  const seconds = typeof s === 'object' && s?.toNumber ? s.toNumber() : Number(s ?? 0);
  return seconds * 1000 + (ts.nanos ?? 0) / 1e6;
}

export interface HistoryShape {
  events: number;
  workflowTasks: number;
  activities: number;
  totalMs: number;
  /** Workflow tasks waiting for a worker (scheduled -> started), summed. */
  workflowTaskQueueMs: number;
  /** Workflow tasks running in the worker (started -> completed), summed. */
  workflowTaskRunMs: number;
  /** Activity tasks waiting for a worker (scheduled -> started), summed. */
  activityQueueMs: number;
  /** Activities running (started -> completed), summed: the database work of the saga. */
  activityRunMs: number;
  /** Start -> the update's completion (what the HTTP caller waits for). */
  updateMs: number | null;
}

/** The time line of one closed workflow. */
export async function historyShape(client: Client, workflowId: string): Promise<HistoryShape> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const start = msOf(events[0]?.eventTime as Timestamp);
  const at = new Map<number, number>();
  const shape: HistoryShape = {
    events: events.length,
    workflowTasks: 0,
    activities: 0,
    totalMs: 0,
    workflowTaskQueueMs: 0,
    workflowTaskRunMs: 0,
    activityQueueMs: 0,
    activityRunMs: 0,
    updateMs: null,
  };
  for (const e of events) {
    const t = msOf(e.eventTime as Timestamp);
    const id = Number(e.eventId);
    at.set(id, t);
    if (e.workflowTaskStartedEventAttributes) {
      shape.workflowTaskQueueMs +=
        t - (at.get(Number(e.workflowTaskStartedEventAttributes.scheduledEventId)) ?? t);
    } else if (e.workflowTaskCompletedEventAttributes) {
      shape.workflowTasks += 1;
      shape.workflowTaskRunMs +=
        t - (at.get(Number(e.workflowTaskCompletedEventAttributes.startedEventId)) ?? t);
    } else if (e.activityTaskStartedEventAttributes) {
      shape.activityQueueMs +=
        t - (at.get(Number(e.activityTaskStartedEventAttributes.scheduledEventId)) ?? t);
    } else if (e.activityTaskCompletedEventAttributes) {
      shape.activities += 1;
      shape.activityRunMs += t - (at.get(Number(e.activityTaskCompletedEventAttributes.startedEventId)) ?? t);
    } else if (e.workflowExecutionUpdateCompletedEventAttributes && shape.updateMs === null) {
      shape.updateMs = t - start;
    }
    shape.totalMs = t - start;
  }
  return shape;
}

export type HistorySummary = { sampled: number } & Record<keyof HistoryShape, number | null>;

/** Medians of each part over a sample of workflows. */
export async function historySummary(client: Client, workflowIds: string[]): Promise<HistorySummary | null> {
  const shapes: HistoryShape[] = [];
  for (const id of workflowIds) shapes.push(await historyShape(client, id));
  if (!shapes.length) return null;
  const median = (k: keyof HistoryShape) =>
    percentile(
      shapes
        .map((s) => s[k])
        .filter((v): v is number => v !== null)
        .sort((a, b) => a - b),
      50,
    );
  const keys = Object.keys(shapes[0]!) as (keyof HistoryShape)[];
  return { sampled: shapes.length, ...Object.fromEntries(keys.map((k) => [k, median(k)])) } as HistorySummary;
}

/** Prometheus text -> series -> value. */
export async function scrapeMetrics(url: string | null): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!url) return out;
  const text = await fetch(url).then(
    (r) => r.text(),
    () => '',
  );
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}

function labelOf(series: string, label: string): string | null {
  return new RegExp(`[{,]${label}="([^"]*)"`).exec(series)?.[1] ?? null;
}

export interface ServerOperation {
  operation: string;
  perUnit: number;
  meanMs: number | null;
}

/**
 * Frontend requests per unit of work (e.g. per transfer) and their mean latency between two scrapes,
 * from the server's `service_requests` and `service_latency` series; `persistence` does the same for
 * `persistence_requests` / `persistence_latency` (the dev server's SQLite).
 */
export function serverOperations(
  before: Map<string, number>,
  after: Map<string, number>,
  units: number,
  family: 'service' | 'persistence',
): ServerOperation[] {
  const sums = new Map<string, { count: number; latencySum: number; latencyCount: number }>();
  const entry = (op: string) => {
    let e = sums.get(op);
    if (!e) sums.set(op, (e = { count: 0, latencySum: 0, latencyCount: 0 }));
    return e;
  };
  for (const [series, value] of after) {
    const delta = value - (before.get(series) ?? 0);
    if (!delta) continue;
    const op = labelOf(series, 'operation');
    if (!op) continue;
    if (series.startsWith(`${family}_requests{`)) entry(op).count += delta;
    else if (series.startsWith(`${family}_latency_sum{`)) entry(op).latencySum += delta;
    else if (series.startsWith(`${family}_latency_count{`)) entry(op).latencyCount += delta;
  }
  return [...sums.entries()]
    .filter(([, e]) => e.count > 0)
    .map(([operation, e]) => ({
      operation,
      perUnit: Math.round((e.count / Math.max(1, units)) * 100) / 100,
      // Temporal's latency histograms are in seconds.
      meanMs: e.latencyCount ? Math.round((e.latencySum / e.latencyCount) * 1e4) / 10 : null,
    }))
    .sort((a, b) => b.perUnit - a.perUnit)
    .slice(0, 14);
}

export async function resetStatements(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('select pg_stat_statements_reset()').catch(() => undefined);
  await client.end();
}

export interface StatementStats {
  /** Statements other than BEGIN/COMMIT/ROLLBACK/SAVEPOINT. */
  statementsPerUnit: number;
  transactionControlPerUnit: number;
  dbMsPerUnit: number;
  top: { query: string; callsPerUnit: number; meanMs: number; totalMs: number }[];
}

/** The heaviest statements since the last reset, per unit of work. */
export async function topStatements(databaseUrl: string, units: number): Promise<StatementStats | null> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ query: string; calls: string; total: number; mean: number }>(
      `select regexp_replace(query, '\\s+', ' ', 'g') as query, calls, total_exec_time as total, mean_exec_time as mean
         from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
        order by total_exec_time desc`,
    );
    const perUnit = (n: number) => Math.round((n / Math.max(1, units)) * 100) / 100;
    // The bench's own wait sampler is not the app's work.
    const app = rows.filter((r) => !r.query.includes('pg_stat_activity'));
    const control = (q: string) => /^(begin|commit|rollback|savepoint|release)/i.test(q.trim());
    const useful = app.filter((r) => !control(r.query));
    return {
      statementsPerUnit: perUnit(useful.reduce((s, r) => s + Number(r.calls), 0)),
      transactionControlPerUnit: perUnit(
        app.filter((r) => control(r.query)).reduce((s, r) => s + Number(r.calls), 0),
      ),
      dbMsPerUnit: perUnit(app.reduce((s, r) => s + r.total, 0)),
      top: useful.slice(0, 10).map((r) => ({
        query: r.query.slice(0, 140),
        callsPerUnit: perUnit(Number(r.calls)),
        meanMs: Math.round(r.mean * 100) / 100,
        totalMs: Math.round(r.total),
      })),
    };
  } catch {
    return null;
  } finally {
    await client.end();
  }
}

/** Samples pg_stat_activity every 100 ms until stopped: how many active sessions wait on what. */
export function sampleWaits(databaseUrl: string): { stop: () => Promise<Record<string, number>> } {
  const client = new pg.Client({ connectionString: databaseUrl });
  const counts: Record<string, number> = {};
  let samples = 0;
  let running = true;
  const loop = (async () => {
    await client.connect();
    while (running) {
      const { rows } = await client.query<{ what: string; n: string }>(
        `select coalesce(wait_event_type || ':' || wait_event, 'CPU') as what, count(*) as n
           from pg_stat_activity
          where datname = current_database() and state = 'active' and pid <> pg_backend_pid()
          group by 1`,
      );
      samples += 1;
      for (const r of rows) counts[r.what] = (counts[r.what] ?? 0) + Number(r.n);
      await new Promise((r) => setTimeout(r, 100));
    }
    await client.end();
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return Object.fromEntries(
        Object.entries(counts)
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => [k, Math.round((v / Math.max(1, samples)) * 100) / 100]),
      );
    },
  };
}
