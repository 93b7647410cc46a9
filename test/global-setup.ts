// Starts once per test run: PostgreSQL (given or embedded), migrations, a Temporal dev server, the workflow bundle.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleWorkflows } from '../worker/worker';
import {
  databaseOn,
  dropDatabase,
  freePort,
  migrateDatabase,
  startEmbeddedPostgres,
  startTemporalDevServer,
  type RunningPostgres,
  type RunningTemporal,
} from '../scripts/services';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    temporalAddress: string;
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const scratch = mkdtempSync(join(tmpdir(), 'portal-test-'));
  chmodSync(scratch, 0o755); // as root, embedded PostgreSQL runs as the postgres user, who must reach its data
  let postgres: RunningPostgres | null = null;
  let temporal: RunningTemporal | null = null;

  const database = `portal_test_${process.pid}_${Date.now()}`;
  let adminUrl: string;
  if (process.env.TEST_DATABASE_URL) {
    adminUrl = process.env.TEST_DATABASE_URL;
  } else {
    postgres = await startEmbeddedPostgres(join(scratch, 'pg'), await freePort());
    adminUrl = postgres.url('postgres');
  }
  const databaseUrl = await databaseOn(adminUrl, database);
  await migrateDatabase(databaseUrl);

  const [temporalAddress, bundle] = await Promise.all([
    process.env.TEST_TEMPORAL_ADDRESS
      ? Promise.resolve(process.env.TEST_TEMPORAL_ADDRESS)
      : startTemporalDevServer({ port: await freePort(), logFile: join(scratch, 'temporal.log') }).then(
          (t) => {
            temporal = t;
            return t.address;
          },
        ),
    bundleWorkflows(),
  ]);
  const workflowBundlePath = join(scratch, 'workflow-bundle.js');
  writeFileSync(workflowBundlePath, bundle.code);

  project.provide('databaseUrl', databaseUrl);
  project.provide('temporalAddress', temporalAddress);
  project.provide('workflowBundlePath', workflowBundlePath);
  console.log(
    `[global-setup] postgres ${postgres ? 'embedded' : 'given'}, temporal ${temporal ? 'dev server' : 'given'}, ready in ${Date.now() - started} ms`,
  );

  return async () => {
    await (temporal as RunningTemporal | null)?.stop();
    if (postgres) {
      await postgres.stop();
      rmSync(postgres.dataDir, { recursive: true, force: true });
    } else await dropDatabase(adminUrl, database).catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  };
}
