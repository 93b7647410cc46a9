// `npm start`: PostgreSQL, Temporal (with UI), migrations, worker and API on one machine; Ctrl-C stops them all.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  databaseOn,
  migrateDatabase,
  ROOT,
  spawnScript,
  stackEnv,
  startEmbeddedPostgres,
  startTemporalDevServer,
  stopChild,
  waitForPort,
  waitReady,
  type RunningPostgres,
  type RunningTemporal,
} from './services';

const DATA = join(ROOT, '.data');
const PG_PORT = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
const TEMPORAL_PORT = Number(process.env.TEMPORAL_PORT ?? 7233);
const TEMPORAL_UI_PORT = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
const PORT = Number(process.env.PORT ?? 3000);
const DEMO = {
  name: 'Demo Bank',
  adminEmail: 'admin@demo-bank.test',
  adminName: 'Demo Admin',
  adminPassword: 'demo-admin-password',
};

const children: ChildProcess[] = [];
let postgres: RunningPostgres | null = null;
let temporal: RunningTemporal | null = null;
let stopping = false;

/** Secrets the dev stack generates once and keeps under .data/, so a restart keeps sessions and MFA working. */
function devSecret(name: string, bytes: number): string {
  const file = join(DATA, `${name}.secret`);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = randomBytes(bytes).toString('hex');
  writeFileSync(file, value, { mode: 0o600 });
  return value;
}

function startNode(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawnScript(script, env);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping the stack`);
      void shutdown(1);
    }
  });
  children.push(child);
  return child;
}

async function seedDemoTenant(token: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${PORT}/v1/platform/tenants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(DEMO),
  });
  if (res.status === 201) return 'created';
  if (res.status === 409) return 'already there';
  throw new Error(`seeding the demo tenant failed: ${res.status} ${await res.text()}`);
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping...');
  await Promise.all(children.map((c) => stopChild(c)));
  await temporal?.stop();
  await postgres?.stop();
  process.exit(code);
}

async function main(): Promise<void> {
  mkdirSync(DATA, { recursive: true });
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    postgres = await startEmbeddedPostgres(join(DATA, 'postgres'), PG_PORT);
    console.log(`embedded PostgreSQL on :${PG_PORT} (data in ${postgres.dataDir})`);
    databaseUrl = await databaseOn(postgres.url('postgres'), 'portal');
  }
  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  let uiUrl = process.env.TEMPORAL_UI_URL ?? null;
  if (!temporalAddress) {
    console.log(
      `starting Temporal dev server on :${TEMPORAL_PORT}, UI on :${TEMPORAL_UI_PORT} (data in .data/temporal.db)`,
    );
    temporal = await startTemporalDevServer({
      port: TEMPORAL_PORT,
      uiPort: TEMPORAL_UI_PORT,
      dbFile: join(DATA, 'temporal.db'),
      logFile: join(DATA, 'temporal.log'),
    });
    temporalAddress = temporal.address;
    uiUrl = temporal.uiUrl;
  }

  const applied = await migrateDatabase(databaseUrl);
  console.log(applied.length ? `migrations applied: ${applied.length}` : 'database schema is up to date');

  const platformToken = process.env.PLATFORM_ADMIN_TOKEN ?? devSecret('platform-admin-token', 24);
  const env = stackEnv(
    {
      databaseUrl,
      temporalAddress,
      port: PORT,
      platformToken,
      mfaKey: process.env.MFA_ENCRYPTION_KEY ?? devSecret('mfa-encryption-key', 32),
    },
    true,
  );
  startNode('worker', 'worker/main.ts', env);
  startNode('api', 'api/server.ts', env);
  await waitForPort(PORT, 60_000);
  await waitReady(`http://127.0.0.1:${PORT}`, 180_000, true);
  const seeded = await seedDemoTenant(platformToken);

  console.log(`
Payments portal is running.
  API            http://127.0.0.1:${PORT}        (health: /health, readiness: /ready)
  API reference  http://127.0.0.1:${PORT}/docs   (OpenAPI: /openapi.json)
  Temporal UI    ${uiUrl ?? '(external Temporal: see your server)'}
  Dev outbox     http://127.0.0.1:${PORT}/v1/dev/outbox
  Platform token ${platformToken}
  Demo tenant    ${DEMO.adminEmail} / ${DEMO.adminPassword} (${seeded})
Press Ctrl-C to stop everything.`);
}

main().catch(async (err: unknown) => {
  console.error('npm start failed:', err instanceof Error ? err.message : err);
  await shutdown(1);
});
