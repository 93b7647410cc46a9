// The chaos run: start the system, set up the bank workload, send transfers while killing and restarting its
// parts, let it settle, reconcile, then verify. Used by `npm run chaos` and (smaller) by test/chaos/.
import { Client, Connection } from '@temporalio/client';
import { openOrm } from '../../db/orm';
import { PAYOUT_RECONCILIATION_SCHEDULE_ID } from '../../domain/payouts/contract';
import { verify, type ChaosReport } from './checks';
import { Cluster } from './cluster';
import { runClients, setUp } from './workload';

export interface ChaosOptions {
  transfers: number;
  clients: number;
  wallets: number;
  confirmTimeout: string;
  callbackFaultRate: number;
  /** The worker is SIGKILLed every `killEveryMs` (± half), then restarted. 0: never. */
  killEveryMs: number;
  /** Fractions of the workload at which the API is restarted. */
  apiRestartsAt: number[];
  temporalRestartAt: number | null;
  postgresRestartAt: number | null;
  workflowBundlePath?: string;
  /** Clients start no new transfer after this long (0: no limit); faults are then timed by it too. */
  workloadBudgetMs?: number;
  settleTimeoutMs: number;
  log: (line: string) => void;
}

export const FULL_RUN: Omit<ChaosOptions, 'log'> = {
  transfers: 2_000,
  clients: 16,
  wallets: 100,
  confirmTimeout: '10s',
  callbackFaultRate: 0.3,
  killEveryMs: 5_000,
  apiRestartsAt: [0.25, 0.6],
  temporalRestartAt: 0.4,
  postgresRestartAt: 0.75,
  settleTimeoutMs: 15 * 60_000,
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
  log: (l: string) => void,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2_000);
  }
  log(`settled: ${what}`);
}

/** Runs the faults while the workload is below 100%: worker kills, API, Temporal and PostgreSQL restarts. */
function faultLoop(cluster: Cluster, options: ChaosOptions, progress: { done: number }) {
  let running = true;
  const started = Date.now();
  /** How far the workload is: transfers done, or the time budget spent when there is one. */
  const fraction = () =>
    Math.max(
      progress.done / options.transfers,
      options.workloadBudgetMs ? (Date.now() - started) / options.workloadBudgetMs : 0,
    );
  const pending = [
    ...options.apiRestartsAt.map((at) => ({ at, name: 'api restart', run: () => cluster.restartApi() })),
    ...(options.temporalRestartAt === null
      ? []
      : [{ at: options.temporalRestartAt, name: 'temporal restart', run: () => cluster.restartTemporal() }]),
    ...(options.postgresRestartAt === null
      ? []
      : [{ at: options.postgresRestartAt, name: 'postgres restart', run: () => cluster.restartPostgres() }]),
  ].sort((a, b) => a.at - b.at);
  const restarts = (async () => {
    while (running && pending.length) {
      if (fraction() >= pending[0]!.at) {
        const fault = pending.shift()!;
        options.log(`${fault.name} at ${progress.done}/${options.transfers}`);
        await fault.run();
      }
      await sleep(200);
    }
  })();
  const kills = (async () => {
    // The interval counts from the moment the restarted worker polls again, so it always gets some work done.
    while (running && options.killEveryMs > 0) {
      await sleep(options.killEveryMs * (0.5 + Math.random()));
      if (!running) break;
      await cluster.killWorker();
      await sleep(300 + Math.random() * 700);
      await cluster.startWorker();
    }
  })();
  return async () => {
    running = false;
    await Promise.all([restarts, kills]);
    for (const fault of pending.splice(0)) {
      options.log(`${fault.name} (after the workload)`);
      await fault.run();
    }
    if (!cluster.workerRunning()) await cluster.startWorker();
  };
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const cluster = new Cluster({
    confirmTimeout: options.confirmTimeout,
    callbackFaultRate: options.callbackFaultRate,
    reconciliationInterval: '20s',
    workflowBundlePath: options.workflowBundlePath,
    log: options.log,
  });
  try {
    options.log(`starting PostgreSQL, Temporal, migrations, API and worker in ${cluster.dir}`);
    await cluster.start();
    const { wallets, deposited } = await setUp(() => cluster.apiUrl, options.wallets);
    options.log(
      `${wallets.length} wallets funded; ${options.transfers} transfers from ${options.clients} clients`,
    );
    const progress = { done: 0 };
    const stopFaults = faultLoop(cluster, options, progress);
    const reporter = setInterval(() => options.log(`progress ${progress.done}/${options.transfers}`), 15_000);
    const records = await runClients(
      () => cluster.apiUrl,
      wallets,
      options.transfers,
      options.clients,
      progress,
      options.workloadBudgetMs ? Date.now() + options.workloadBudgetMs : Infinity,
    ).finally(() => clearInterval(reporter));
    await stopFaults();
    options.log(`workload done after ${Math.round((Date.now() - started) / 1000)} s; settling`);

    const orm = await openOrm(cluster.databaseUrl, { poolMax: 4 });
    const connection = await Connection.connect({ address: cluster.temporalAddress });
    const temporal = new Client({ connection, namespace: 'default' });
    try {
      const running = async (type: string) =>
        (await temporal.workflow.count(`WorkflowType = '${type}' AND ExecutionStatus = 'Running'`)).count;
      await until(
        async () =>
          (await orm.em.fork().execute(`select 1 from transfer where status = 'PROCESSING' limit 1`))
            .length === 0,
        options.settleTimeoutMs,
        'every transfer terminal',
        options.log,
      );
      await until(
        async () => (await running('simulateSandboxBankWorkflow')) === 0,
        options.settleTimeoutMs,
        'the bank',
        options.log,
      );
      const report = await temporal.workflow.execute('reconcilePayoutsWorkflow', {
        taskQueue: 'chaos',
        workflowId: `${PAYOUT_RECONCILIATION_SCHEDULE_ID}-final-${Date.now()}`,
        args: [{ stuckAfterMs: 0, closedWithinMs: 24 * 3_600_000 }],
      });
      options.log(`final reconciliation: ${JSON.stringify(report).slice(0, 500)}`);
      await until(
        async () => (await running('settleLateVerdictWorkflow')) === 0,
        options.settleTimeoutMs,
        'late verdicts',
        options.log,
      );
      const result = await verify(orm.em.fork(), records, deposited);
      Object.assign(result.counts, cluster.counts, {
        workerStartMsMedian: cluster.workerStartMedianMs,
        seconds: Math.round((Date.now() - started) / 1000),
      });
      return result;
    } finally {
      await connection.close();
      await orm.close();
    }
  } finally {
    await cluster.stop();
  }
}
