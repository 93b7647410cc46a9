// Starts the services the stack and the tests need when none are given: PostgreSQL and a Temporal dev server.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
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
