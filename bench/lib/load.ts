// Closed-loop load: N clients each run one operation after another for a fixed time; throughput and latency.
import { performance } from 'node:perf_hooks';

export interface LoadResult {
  clients: number;
  seconds: number;
  ops: number;
  errors: number;
  firstError: string | null;
  perSecond: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

export function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return round(sorted[index]!);
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * Runs `op(client, n)` in `clients` closed loops for warm-up + duration; operations completing inside the
 * measured window [warm-up end, deadline] count; one in flight at the deadline is awaited, not counted.
 */
export async function closedLoop(options: {
  clients: number;
  durationMs: number;
  warmupMs?: number;
  op: (client: number, n: number) => Promise<void>;
}): Promise<LoadResult> {
  const start = performance.now();
  const measureFrom = start + (options.warmupMs ?? 0);
  const deadline = measureFrom + options.durationMs;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const loop = async (client: number) => {
    for (let n = 0; performance.now() < deadline; n++) {
      const t0 = performance.now();
      try {
        await options.op(client, n);
        const t1 = performance.now();
        if (t1 >= measureFrom && t1 <= deadline) latencies.push(t1 - t0);
      } catch (err) {
        errors += 1;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, i) => loop(i)));
  latencies.sort((a, b) => a - b);
  const seconds = options.durationMs / 1000;
  return {
    clients: options.clients,
    seconds,
    ops: latencies.length,
    errors,
    firstError,
    perSecond: round(latencies.length / seconds),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

/** Runs `fn` `times` times one after another and returns the sorted latencies (ms). */
export async function timed(times: number, fn: (n: number) => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let n = 0; n < times; n++) {
    const t0 = performance.now();
    await fn(n);
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}
