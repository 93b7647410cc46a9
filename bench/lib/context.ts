// What every bench phase gets, and `observe`: runs a phase while collecting its limits (CPU per process,
// PostgreSQL waits and statements, Temporal frontend operations).
import type { Client } from '@temporalio/client';
import {
  resetStatements,
  sampleWaits,
  scrapeMetrics,
  serverOperations,
  topStatements,
  type ServerOperation,
  type StatementStats,
} from './evidence';
import type { HttpClient } from './http';
import type { BenchPartner, BenchTenant } from './setup';
import { coresBetween, sampleCpu, type CpuSample, type Stack } from './stack';
import { monotonicMicros } from './profile';

export interface Sizes {
  warmupMs: number;
  loadMs: number;
  oneClientMs: number;
  clients: number;
  ledgerClients: number;
  onboardingRows: number;
  /** A batch still running after this is cancelled and measured on the rows it finished. */
  onboardingLimitMs: number;
  flowsEntries: number;
  flowsReads: number;
  loginMs: number;
}

export const QUICK: Sizes = {
  warmupMs: 2_000,
  loadMs: 10_000,
  oneClientMs: 6_000,
  clients: 32,
  ledgerClients: 8,
  onboardingRows: 100,
  onboardingLimitMs: 120_000,
  flowsEntries: 100_000,
  flowsReads: 50,
  loginMs: 8_000,
};

export const FULL: Sizes = {
  warmupMs: 4_000,
  loadMs: 20_000,
  oneClientMs: 15_000,
  clients: 32,
  ledgerClients: 8,
  onboardingRows: 1_000,
  onboardingLimitMs: 120_000,
  flowsEntries: 1_000_000,
  flowsReads: 200,
  loginMs: 20_000,
};

export interface BenchContext {
  stack: Stack;
  http: HttpClient;
  temporal: Client;
  sizes: Sizes;
  quick: boolean;
  tenant: BenchTenant;
  partners: BenchPartner[];
  /** Phase windows (monotonic µs) for the CPU profiles. */
  windows: Record<string, { from: number; to: number }>;
}

export interface Observation {
  cores: CpuSample;
  pgWaits: Record<string, number>;
  statements: StatementStats | null;
  temporalFrontend: ServerOperation[];
  temporalPersistence: ServerOperation[];
}

/** Runs `fn` and reports where the time went, per unit of work (`units(result)`, e.g. transfers done). */
export async function observe<T>(
  ctx: BenchContext,
  name: string,
  fn: () => Promise<T>,
  units: (result: T) => number,
): Promise<{ result: T; observed: Observation }> {
  await resetStatements(ctx.stack.databaseUrl);
  const metricsBefore = await scrapeMetrics(ctx.stack.metricsUrl);
  const waits = sampleWaits(ctx.stack.databaseUrl);
  const cpuBefore = sampleCpu(ctx.stack);
  const t0 = Date.now();
  const from = monotonicMicros();
  const result = await fn();
  ctx.windows[name] = { from, to: monotonicMicros() };
  const seconds = (Date.now() - t0) / 1000;
  const cores = coresBetween(cpuBefore, sampleCpu(ctx.stack), seconds);
  const pgWaits = await waits.stop();
  const n = units(result);
  const metricsAfter = await scrapeMetrics(ctx.stack.metricsUrl);
  return {
    result,
    observed: {
      cores,
      pgWaits,
      statements: await topStatements(ctx.stack.databaseUrl, n),
      temporalFrontend: serverOperations(metricsBefore, metricsAfter, n, 'service'),
      temporalPersistence: serverOperations(metricsBefore, metricsAfter, n, 'persistence'),
    },
  };
}
