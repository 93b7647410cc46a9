// Starts the services the stack and the tests need when none are given: PostgreSQL and a Temporal dev server.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { migrate, openOrm } from '../db/orm';
import { SEARCH_ATTRIBUTE_FLAGS } from '../workflows/search-attributes';
import { reachableDataDir, startPostgresServer } from './embedded-postgres';

export const ROOT = join(import.meta.dirname, '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface RunningPostgres {
  /** Where the cluster's data lives (not `dir` when root runs from a directory PostgreSQL cannot enter). */
  dataDir: string;
  url: (database: string) => string;
  stop: () => Promise<void>;
}

/** An embedded PostgreSQL (from npm) with its data under `dir`; initialised on first use, kept afterwards. */
export async function startEmbeddedPostgres(dir: string, port: number): Promise<RunningPostgres> {
  const dataDir = reachableDataDir(dir);
  const server = await startPostgresServer({
    dataDir,
    port,
    password: 'postgres',
    flags: ['-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'synchronous_commit=off'],
    onError: (line) => console.error(`[postgres] ${line.trim()}`),
  });
  return {
    dataDir,
    url: (database) => `postgres://postgres:postgres@127.0.0.1:${port}/${database}`,
    stop: () => server.stop(),
  };
}

/** Creates `database` on the server behind `adminUrl` unless it exists. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) await client.query(`create database "${database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists "${database.replace(/"/g, '')}" with (force)`);
  } finally {
    await client.end();
  }
}

export function temporalBinary(): string {
  return execFileSync('bash', [join(ROOT, 'scripts', 'ensure-temporal.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

export interface RunningTemporal {
  address: string;
  uiUrl: string | null;
  process: ChildProcess;
  stop: () => Promise<void>;
}

/** A Temporal dev server with the project's search attributes; SQLite file when `dbFile` is given. */
export async function startTemporalDevServer(options: {
  port: number;
  uiPort?: number;
  dbFile?: string;
  logFile?: string;
}): Promise<RunningTemporal> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--log-level',
    'error',
  ];
  args.push('--http-port', String(await freePort()), '--metrics-port', String(await freePort()));
  if (options.uiPort) args.push('--ui-port', String(options.uiPort), '--ui-ip', '127.0.0.1');
  else args.push('--headless');
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  for (const sa of SEARCH_ATTRIBUTE_FLAGS) args.push('--search-attribute', sa);
  args.push('--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true');
  args.push('--dynamic-config-value', 'frontend.enableExecuteMultiOperation=true');
  const out = options.logFile ? openSync(options.logFile, 'a') : 'ignore';
  const child = spawn(temporalBinary(), args, { stdio: ['ignore', out, out], detached: false });
  const address = `127.0.0.1:${options.port}`;
  await waitForPort(options.port, 60_000, child);
  return {
    address,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : null,
    process: child,
    stop: () => stopChild(child),
  };
}

export async function waitForPort(port: number, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const { connect } = await import('node:net');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`process exited with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`nothing listened on port ${port} within ${timeoutMs} ms`);
}

export function stopChild(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 10_000,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** Creates `database` on the server behind `adminUrl` unless it exists and returns its URL. */
export async function databaseOn(adminUrl: string, database: string): Promise<string> {
  await ensureDatabase(adminUrl, database);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Applies pending migrations to `databaseUrl`; returns the names applied. */
export async function migrateDatabase(databaseUrl: string): Promise<string[]> {
  const orm = await openOrm(databaseUrl, { poolMax: 2 });
  try {
    return await migrate(orm);
  } finally {
    await orm.close();
  }
}

/** What a local stack's api and worker need to reach each other and its services. */
export interface StackSettings {
  databaseUrl: string;
  temporalAddress: string;
  port: number;
  platformToken: string;
  mfaKey?: string;
}

/**
 * The api and worker environment of a local stack: its services and port, development mode, the dev outbox,
 * plain-HTTP webhooks and its own URL; with `keepSet`, those last four stay as the caller's environment sets them.
 */
export function stackEnv(stack: StackSettings, keepSet = false): NodeJS.ProcessEnv {
  const defaults: Record<string, string> = {
    NODE_ENV: 'development',
    DEV_OUTBOX: '1',
    ALLOW_HTTP_WEBHOOKS: '1',
    PUBLIC_API_URL: `http://127.0.0.1:${stack.port}`,
  };
  if (stack.mfaKey) defaults.MFA_ENCRYPTION_KEY = stack.mfaKey;
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(defaults)) env[name] = keepSet ? (env[name] ?? value) : value;
  return {
    ...env,
    DATABASE_URL: stack.databaseUrl,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    PLATFORM_ADMIN_TOKEN: stack.platformToken,
    PORT: String(stack.port),
  };
}

/** Runs a TypeScript entry point in its own Node process (through tsx), its output to `logFile` or ours. */
export function spawnScript(
  script: string,
  env: NodeJS.ProcessEnv,
  options: { logFile?: string; nodeFlags?: string[] } = {},
): ChildProcess {
  const out = options.logFile ? openSync(options.logFile, 'a') : 'inherit';
  return spawn(process.execPath, [...(options.nodeFlags ?? []), '--import', 'tsx', join(ROOT, script)], {
    env,
    stdio: ['ignore', out, out],
  });
}

/** Polls the API's /ready until it answers 200 (and, with `worker`, a worker polls its task queue). */
export async function waitReady(apiUrl: string, timeoutMs: number, worker = false): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`${apiUrl}/ready`).then(
      async (r) =>
        r.ok && (!worker || ((await r.json()) as { checks: { worker: string } }).checks.worker === 'ok'),
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the API did not become ready${worker ? ' (or no worker polls the task queue)' : ''}`);
}

/**
 * Compiles entry points (paths under the project) to JavaScript in `outdir` as the production image runs them:
 * one esbuild bundle each, node_modules left external.
 */
export async function compileEntryPoints(
  entryPoints: string[],
  outdir: string,
  options: { sourcemap?: boolean } = {},
): Promise<void> {
  const { build } = await import('esbuild');
  await build({
    absWorkingDir: ROOT,
    entryPoints,
    outdir,
    outbase: ROOT,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node22',
    sourcemap: options.sourcemap ?? false,
    logLevel: 'warning',
  });
}
