// `npm run replay:refresh`: runs every workflow type for real (PostgreSQL + Temporal: given by TEST_DATABASE_URL /
// TEST_TEMPORAL_ADDRESS, else started like `npm test` does) and stores their histories for the replay test.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './services';

const vitest = join(ROOT, 'node_modules', '.bin', 'vitest');
const run = spawnSync(vitest, ['run', '--config', 'test/replay/record.config.ts'], {
  cwd: ROOT,
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
