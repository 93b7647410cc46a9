// The bench's own stack, started like `npm start` does: PostgreSQL (embedded unless DATABASE_URL is given, with
// pg_stat_statements), a Temporal dev server on free ports, migrations, then the API, the app's worker and the
// ceiling worker as separate Node processes.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import {
  databaseOn,
  freePort,
  migrateDatabase,
  spawnScript,
  stackEnv,
  startEmbeddedPostgres,
  startTemporalDevServer,
  stopChild,
  waitForPort,
  waitReady,
  type RunningPostgres,
  type RunningTemporal,
} from '../../scripts/services';

export const CEILING_TASK_QUEUE = 'bench-ceiling';

export interface Stack {
  runDir: string;
  databaseUrl: string;
  /** The same server's `postgres` database (scratch databases are created from it). */
  adminUrl: string;
  embedded: boolean;
  pgStatStatements: string | null;
  postmasterPid: number | null;
  temporalAddress: string;
  temporalInMemory: boolean;
  temporalPid: number;
  metricsUrl: string | null;
  apiUrl: string;
  platformToken: string;
  api: ChildProcess;
  worker: ChildProcess;
  ceilingWorker: ChildProcess;
  stop: () => Promise<void>;
}

export interface StackOptions {
  runDir: string;
  temporalInMemory: boolean;
  /** Directory for `node --cpu-prof` profiles of the API and worker (written when they exit). */
  cpuProfileDir: string | null;
}

async function startPostgres(dir: string): Promise<RunningPostgres> {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755); // embedded PostgreSQL runs as the postgres user when we are root
  const port = await freePort();
  const first = await startEmbeddedPostgres(join(dir, 'pg'), port);
  const admin = new pg.Client({ connectionString: first.url('postgres') });
  await admin.connect();
  await admin.query(`alter system set shared_preload_libraries = 'pg_stat_statements'`);
  await admin.end();
  await first.stop();
  return startEmbeddedPostgres(join(dir, 'pg'), port);
}

async function enableStatements(databaseUrl: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('create extension if not exists pg_stat_statements');
    await client.query('select pg_stat_statements_reset()');
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end();
  }
}

function nodeProcess(script: string, env: NodeJS.ProcessEnv, logFile: string, profileDir: string | null) {
  const nodeFlags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  return spawnScript(script, env, { logFile, nodeFlags });
}

async function waitForLog(file: string, text: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${file}: process exited (${child.exitCode})`);
    if (existsSync(file) && readFileSync(file, 'utf8').includes(text)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${file}: no "${text}" within ${timeoutMs} ms`);
}

function metricsPortOf(temporal: RunningTemporal): number | null {
  const args = temporal.process.spawnargs;
  const i = args.indexOf('--metrics-port');
  return i >= 0 ? Number(args[i + 1]) : null;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const { runDir } = options;
  mkdirSync(runDir, { recursive: true });
  chmodSync(runDir, 0o755);
  let postgres: RunningPostgres | null = null;
  let adminUrl = process.env.DATABASE_URL;
  let databaseUrl: string;
  if (adminUrl) {
    databaseUrl = await databaseOn(adminUrl, `portal_bench_${Date.now()}`);
  } else {
    postgres = await startPostgres(join(runDir, 'postgres'));
    adminUrl = postgres.url('postgres');
    databaseUrl = await databaseOn(adminUrl, 'portal');
  }
  const postmasterFile = join(runDir, 'postgres', 'pg', 'postmaster.pid');
  const postmasterPid = existsSync(postmasterFile)
    ? Number(readFileSync(postmasterFile, 'utf8').split('\n')[0])
    : null;

  const temporal = await startTemporalDevServer({
    port: await freePort(),
    dbFile: options.temporalInMemory ? undefined : join(runDir, 'temporal.db'),
    logFile: join(runDir, 'temporal.log'),
  });
  const metricsPort = metricsPortOf(temporal);

  await migrateDatabase(databaseUrl);
  const pgStatStatements = await enableStatements(databaseUrl);

  const port = await freePort();
  const platformToken = randomBytes(24).toString('hex');
  const env: NodeJS.ProcessEnv = {
    ...stackEnv({
      databaseUrl,
      temporalAddress: temporal.address,
      port,
      platformToken,
      mfaKey: randomBytes(32).toString('hex'),
    }),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  };
  const profileDir = options.cpuProfileDir;
  const worker = nodeProcess('worker/main.ts', env, join(runDir, 'worker.log'), profileDir);
  const api = nodeProcess('api/server.ts', env, join(runDir, 'api.log'), profileDir);
  const ceilingWorker = nodeProcess(
    'bench/ceiling/worker.ts',
    { ...env, TEMPORAL_TASK_QUEUE: CEILING_TASK_QUEUE },
    join(runDir, 'ceiling-worker.log'),
    null,
  );
  const apiUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await Promise.all([api, worker, ceilingWorker].map((c) => stopChild(c, 'SIGINT', 20_000)));
    await temporal.stop();
    await postgres?.stop();
  };
  try {
    await waitForPort(port, 120_000, api);
    await waitReady(apiUrl, 60_000);
    await waitForLog(join(runDir, 'worker.log'), 'worker started', worker, 120_000);
    await waitForLog(join(runDir, 'ceiling-worker.log'), 'ceiling worker started', ceilingWorker, 120_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    runDir,
    databaseUrl,
    adminUrl,
    embedded: postgres !== null,
    pgStatStatements,
    postmasterPid,
    temporalAddress: temporal.address,
    temporalInMemory: options.temporalInMemory,
    temporalPid: temporal.process.pid!,
    metricsUrl: metricsPort ? `http://127.0.0.1:${metricsPort}/metrics` : null,
    apiUrl,
    platformToken,
    api,
    worker,
    ceilingWorker,
    stop,
  };
}

const CLOCK_TICKS = 100;

/** utime + stime (and, with `reaped`, the CPU of its exited children) in seconds. */
function cpuSecondsOf(pid: number, reaped = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    const own = fields[11]! + fields[12]!;
    return (reaped ? own + fields[13]! + fields[14]! : own) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

function childrenOf(parent: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) out.push(Number(name));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

export type CpuSample = Record<
  'api' | 'worker' | 'ceilingWorker' | 'temporal' | 'postgres' | 'bench',
  number
>;

/** CPU seconds used so far by each process of the stack (PostgreSQL: the postmaster and its backends). */
export function sampleCpu(stack: Stack): CpuSample {
  const backends = stack.postmasterPid ? childrenOf(stack.postmasterPid) : [];
  const postmaster = stack.postmasterPid ? cpuSecondsOf(stack.postmasterPid, true) : 0;
  const usage = process.cpuUsage();
  return {
    api: cpuSecondsOf(stack.api.pid!),
    worker: cpuSecondsOf(stack.worker.pid!),
    ceilingWorker: cpuSecondsOf(stack.ceilingWorker.pid!),
    temporal: cpuSecondsOf(stack.temporalPid),
    postgres: backends.reduce((sum, pid) => sum + cpuSecondsOf(pid), postmaster),
    bench: (usage.user + usage.system) / 1e6,
  };
}

/** Cores each process used between two samples taken `seconds` apart. */
export function coresBetween(before: CpuSample, after: CpuSample, seconds: number): CpuSample {
  const out = {} as CpuSample;
  for (const key of Object.keys(before) as (keyof CpuSample)[]) {
    out[key] = Math.round(((after[key] - before[key]) / seconds) * 100) / 100;
  }
  return out;
}

/** Peak resident memory (VmHWM) of a process, MiB. */
export function peakRssMiB(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}
