// `npm run bench` (full) / `npm run bench -- --quick`: starts its own stack, sets up through the HTTP API, runs
// every figure of issue 12, writes bench/results/latest.json and prints the table.
// Options: --only=transfers,ceilings,ledger,pgbench,hotWallet,onboarding,flows,login  --profile (node --cpu-prof of
// the API and worker, summarised over the 32-client transfer run)  --batch-10k (also a 10,000-row onboarding batch)
// --temporal-memory (dev server without its database file). For iterating only: --clients=N --seconds=S.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { format, resolveConfig } from 'prettier';
import { ROOT } from '../scripts/services';
import { FULL, QUICK, type BenchContext } from './lib/context';
import { httpClient } from './lib/http';
import { summariseProfile } from './lib/profile';
import { activePartners, createTenant, setInternalFee } from './lib/setup';
import { startStack } from './lib/stack';
import { buildResults, printTable } from './report';
import { ceiling } from './phases/ceilings';
import { flowsRead } from './phases/flows';
import { ledgerPostings } from './phases/ledger';
import { loginRate } from './phases/login';
import { onboardingBatch } from './phases/onboarding';
import { pgbenchTpcb } from './phases/pgbench';
import { hotWalletTransfers, spreadTransfers } from './phases/transfers';

const PHASES = [
  'transfers',
  'ceilings',
  'ledger',
  'pgbench',
  'hotWallet',
  'onboarding',
  'flows',
  'login',
] as const;
type Phase = (typeof PHASES)[number];

function option(name: string): string | null {
  const arg = process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (!arg) return null;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : '';
}

async function attempt<T>(name: string, fn: () => Promise<T>): Promise<T | { error: string }> {
  const started = Date.now();
  console.log(`[bench] ${name}...`);
  try {
    const result = await fn();
    console.log(`[bench] ${name} done in ${Math.round((Date.now() - started) / 1000)} s`);
    return result;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`[bench] ${name} failed: ${message}`);
    return { error: message };
  }
}

function commitOf(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

function profileSummaries(
  dir: string,
  pids: Record<string, number>,
  window: { from: number; to: number } | undefined,
) {
  if (!window) return null;
  const files = readdirSync(dir);
  return Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => {
      const file = files.find((f) => f.includes(`.${pid}.`));
      return [name, file ? summariseProfile(join(dir, file), window.from, window.to) : null];
    }),
  );
}

/** Written as the repository's prettier check expects, so a committed result passes `npm run lint`. */
async function writeFormatted(file: string, text: string): Promise<void> {
  const options = (await resolveConfig(file)) ?? {};
  writeFileSync(file, await format(text, { ...options, filepath: file }));
}

async function main(): Promise<void> {
  const quick = option('quick') !== null;
  const only = option('only');
  const selected = new Set<Phase>(only ? (only.split(',') as Phase[]) : PHASES);
  const profile = option('profile') !== null;
  const clientsOverride = option('clients');
  const secondsOverride = option('seconds');
  const sizes = {
    ...(quick ? QUICK : FULL),
    ...(clientsOverride ? { clients: Number(clientsOverride) } : {}),
    ...(secondsOverride
      ? { loadMs: Number(secondsOverride) * 1000, oneClientMs: Number(secondsOverride) * 1000 }
      : {}),
  };
  const started = Date.now();
  const loadAtStart = loadavg().map((l) => Math.round(l * 100) / 100);
  const runDir = mkdtempSync(join(tmpdir(), 'portal-bench-'));
  const profileDir = profile ? join(runDir, 'profiles') : null;
  if (profileDir) mkdirSync(profileDir);
  console.log(`[bench] ${quick ? 'quick' : 'full'} run; services and logs in ${runDir}`);
  const stack = await startStack({
    runDir,
    temporalInMemory: option('temporal-memory') !== null,
    cpuProfileDir: profileDir,
  });
  const http = httpClient(stack.apiUrl, { sockets: 128 });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const temporal = new Client({ connection });
  const raw: Record<string, unknown> = {};
  let ctx: BenchContext | undefined;
  try {
    console.log(`[bench] stack up in ${Math.round((Date.now() - started) / 1000)} s; setting up partners`);
    const tenant = await createTenant(http, stack.platformToken, 'transfers');
    await setInternalFee(http, tenant);
    const partners = await activePartners(http, tenant, sizes.clients, 1_000_000_000_000);
    ctx = { stack, http, temporal, sizes, quick, tenant, partners, windows: {} };
    const c = ctx;
    if (selected.has('transfers')) {
      raw.transfersC1 = await attempt('transfers, 1 client', () =>
        spreadTransfers(c, 1, sizes.oneClientMs, 'transfersC1'),
      );
      raw.transfers = await attempt(`transfers, ${sizes.clients} clients`, () =>
        spreadTransfers(c, sizes.clients, sizes.loadMs, 'transfers'),
      );
    }
    if (selected.has('hotWallet')) raw.hotWallet = await attempt('hot wallet', () => hotWalletTransfers(c));
    if (selected.has('ceilings')) {
      raw.emptyWorkflowCeiling = await attempt('empty workflow ceiling', () => ceiling(c, 'emptyWorkflow'));
      raw.sagaShapeCeiling = await attempt('saga shape ceiling', () => ceiling(c, 'sagaShapeWorkflow'));
    }
    if (selected.has('ledger')) raw.ledgerPosting = await attempt('ledger postings', () => ledgerPostings(c));
    if (selected.has('pgbench')) raw.pgbenchTpcb = await attempt('pgbench tpcb-like', () => pgbenchTpcb(c));
    if (selected.has('onboarding')) {
      raw.onboarding = await attempt(`onboarding ${sizes.onboardingRows} rows`, () =>
        onboardingBatch(c, sizes.onboardingRows, sizes.onboardingLimitMs),
      );
      if (option('batch-10k') !== null) {
        raw.onboarding10k = await attempt('onboarding 10,000 rows', () =>
          onboardingBatch(c, 10_000, 3_600_000),
        );
      }
    }
    if (selected.has('flows')) raw.flowsRead = await attempt('wallet flows', () => flowsRead(c));
    if (selected.has('login')) raw.login = await attempt('login', () => loginRate(c));
  } finally {
    http.close();
    await connection.close();
    await stack.stop();
  }
  if (profileDir && ctx) {
    raw.profiles = profileSummaries(
      profileDir,
      { api: stack.api.pid!, worker: stack.worker.pid! },
      ctx.windows.transfers,
    );
  }
  const results = buildResults(raw, {
    mode: quick ? 'quick' : 'full',
    takenAt: new Date().toISOString(),
    commit: commitOf(),
    seconds: Math.round((Date.now() - started) / 1000),
    machine: { cores: cpus().length, loadAverageAtStart: loadAtStart, shared: true },
    temporal: { devServer: true, inMemory: stack.temporalInMemory },
    postgres: { embedded: stack.embedded, pgStatStatements: stack.pgStatStatements ?? 'loaded' },
    sizes,
  });
  const out = join(ROOT, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  await writeFormatted(join(out, 'latest.json'), JSON.stringify(results, null, 2));
  const table = printTable(results);
  await writeFormatted(join(out, 'latest.md'), table);
  console.log(`\n${table}\n\n[bench] wrote bench/results/latest.json in ${results.seconds} s`);
  if (!process.env.BENCH_KEEP) rmSync(runDir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error('bench failed:', err instanceof Error ? err.stack : err);
  process.exit(1);
});
