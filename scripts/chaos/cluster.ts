// The chaos run's own system: an embedded PostgreSQL (fresh temp dir), a Temporal dev server on a database file,
// migrations, one API and one worker process; each can be killed and restarted while the workload runs. The
// processes run as the production image runs them: compiled JavaScript and a workflow bundle built once.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  compileEntryPoints,
  databaseOn,
  freePort,
  ROOT,
  stackEnv,
  startEmbeddedPostgres,
  startTemporalDevServer,
  stopChild,
  waitForPort,
  type RunningPostgres,
  type RunningTemporal,
} from '../services';

export interface ClusterOptions {
  confirmTimeout: string;
  callbackFaultRate: number;
  reconciliationInterval: string;
  /** A workflow bundle to reuse (else one is built once for every worker start). */
  workflowBundlePath?: string;
  log: (line: string) => void;
}

export const PLATFORM_TOKEN = 'chaos-platform-admin-token-0123456789';

export class Cluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'portal-chaos-'));
  pgPort = 0;
  temporalPort = 0;
  apiPort = 0;
  databaseUrl = '';
  private postgres: RunningPostgres | null = null;
  private temporal: RunningTemporal | null = null;
  private api: ChildProcess | null = null;
  private worker: ChildProcess | null = null;
  private stopping = false;
  private bundlePath = '';
  /** Compiled processes (under the project, so node_modules resolves); removed at stop. */
  private buildDir = '';
  readonly counts = {
    workerKills: 0,
    workerCrashes: 0,
    apiRestarts: 0,
    temporalRestarts: 0,
    postgresRestarts: 0,
    workerStartMsMax: 0,
  };
  private workerStartMs: number[] = [];

  constructor(readonly options: ClusterOptions) {
    chmodSync(this.dir, 0o755); // embedded PostgreSQL runs as the postgres user when we are root
  }

  get apiUrl() {
    return `http://127.0.0.1:${this.apiPort}`;
  }
  get temporalAddress() {
    return `127.0.0.1:${this.temporalPort}`;
  }

  async start(): Promise<void> {
    [this.pgPort, this.temporalPort, this.apiPort] = [await freePort(), await freePort(), await freePort()];
    await this.startPostgres();
    this.databaseUrl = await databaseOn(this.postgres!.url('postgres'), 'chaos');
    await this.startTemporal();
    await this.compile();
    await this.runToEnd('scripts/migrate.ts');
    this.bundlePath = this.options.workflowBundlePath ?? (await this.buildBundle());
    await Promise.all([this.startWorker(), this.startApi()]);
  }

  /** esbuild, as `npm run build` does for the image: each restart then loads JavaScript, no compiler. */
  private async compile(): Promise<void> {
    this.buildDir = join(ROOT, '.data', `chaos-build-${process.pid}-${Date.now()}`);
    mkdirSync(this.buildDir, { recursive: true });
    await compileEntryPoints(['api/server.ts', 'worker/main.ts', 'scripts/migrate.ts'], this.buildDir);
  }

  /** The median time from spawning a worker to its polling, in ms. */
  get workerStartMedianMs(): number {
    const sorted = [...this.workerStartMs].sort((a, b) => a - b);
    return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : 0;
  }

  private async buildBundle(): Promise<string> {
    const { bundleWorkflows } = await import('../../worker/worker');
    const path = join(this.dir, 'workflow-bundle.js');
    writeFileSync(path, (await bundleWorkflows()).code);
    return path;
  }

  private env(): NodeJS.ProcessEnv {
    return {
      ...stackEnv({
        databaseUrl: this.databaseUrl,
        temporalAddress: this.temporalAddress,
        port: this.apiPort,
        platformToken: PLATFORM_TOKEN,
      }),
      TEMPORAL_TASK_QUEUE: 'chaos',
      CHANNEL_CONFIRM_TIMEOUT: this.options.confirmTimeout,
      SANDBOX_BANK_CALLBACK_FAULT_RATE: String(this.options.callbackFaultRate),
      PAYOUT_RECONCILIATION_INTERVAL: this.options.reconciliationInterval,
      WORKFLOW_BUNDLE_PATH: this.bundlePath,
      LOG_LEVEL: 'info',
    };
  }

  private spawnNode(script: string, name: string, onLine?: (line: string) => void): ChildProcess {
    const compiled = join(this.buildDir, script.replace(/\.ts$/, '.js'));
    const child = spawn(process.execPath, [compiled], {
      env: this.env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        onLine?.(line);
        if (/"level":(50|60)|failed|Error:/.test(line)) this.options.log(`[${name}] ${line.slice(0, 300)}`);
      });
    }
    return child;
  }

  private runToEnd(script: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = this.spawnNode(script, script);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} exited ${code}`))));
    });
  }

  private async startPostgres() {
    this.postgres = await startEmbeddedPostgres(join(this.dir, 'pg'), this.pgPort);
  }

  private async startTemporal() {
    this.temporal = await startTemporalDevServer({
      port: this.temporalPort,
      dbFile: join(this.dir, 'temporal.db'),
      logFile: join(this.dir, 'temporal.log'),
    });
  }

  /** Starts the worker; resolves once it polls (its "worker started" line). Restarted if it dies by itself. */
  startWorker(): Promise<void> {
    const spawned = Date.now();
    return new Promise((resolve) => {
      const child = this.spawnNode('worker/main.ts', 'worker', (line) => {
        if (!line.includes('worker started')) return;
        const ms = Date.now() - spawned;
        this.workerStartMs.push(ms);
        this.counts.workerStartMsMax = Math.max(this.counts.workerStartMsMax, ms);
        resolve();
      });
      this.worker = child;
      child.once('exit', (code, signal) => {
        resolve();
        if (this.stopping || this.worker !== child || signal === 'SIGKILL') return;
        this.counts.workerCrashes += 1;
        this.options.log(`worker exited by itself (${signal ?? code}); restarting`);
        setTimeout(() => void this.startWorker(), 1_000);
      });
    });
  }

  async killWorker(): Promise<void> {
    const child = this.worker;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.counts.workerKills += 1;
    await stopChild(child, 'SIGKILL');
  }

  async startApi(): Promise<void> {
    const child = this.spawnNode('api/server.ts', 'api');
    this.api = child;
    child.once('exit', (code, signal) => {
      if (this.stopping || this.api !== child || signal) return;
      this.options.log(`api exited by itself (${code}); restarting`);
      setTimeout(() => void this.startApi(), 1_000);
    });
    await waitForPort(this.apiPort, 120_000, child);
  }

  async restartApi(): Promise<void> {
    this.counts.apiRestarts += 1;
    const child = this.api;
    this.api = null;
    if (child) await stopChild(child, 'SIGKILL');
    await this.startApi();
  }

  /** Stops the dev server and starts it again on the same port and database file. A start that fails (its
   * port or file still held a moment after the old process exited) is retried, with the log's tail reported. */
  async restartTemporal(): Promise<void> {
    this.counts.temporalRestarts += 1;
    await this.temporal?.stop();
    for (let attempt = 1; ; attempt++) {
      try {
        await this.startTemporal();
        return;
      } catch (err) {
        const tail = readFileSync(join(this.dir, 'temporal.log'), 'utf8')
          .trim()
          .split('\n')
          .slice(-3)
          .join(' | ');
        this.options.log(
          `temporal start ${attempt} failed (${(err as Error).message}): ${tail.slice(0, 400)}`,
        );
        if (attempt === 5) throw err;
        await new Promise((r) => setTimeout(r, 2_000 * attempt));
      }
    }
  }

  async restartPostgres(): Promise<void> {
    this.counts.postgresRestarts += 1;
    await this.postgres?.stop();
    await new Promise((r) => setTimeout(r, 1_000));
    await this.startPostgres();
  }

  workerRunning(): boolean {
    return Boolean(this.worker && this.worker.exitCode === null && this.worker.signalCode === null);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([this.api, this.worker].filter(Boolean).map((c) => stopChild(c!, 'SIGKILL')));
    await this.temporal?.stop();
    await this.postgres?.stop();
    if (this.buildDir) rmSync(this.buildDir, { recursive: true, force: true });
  }
}
