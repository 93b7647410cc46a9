// `npm run build`: compiles the processes to JavaScript in dist/ (esbuild, node_modules left external) and bundles
// the workflow code once (dist/workflow-bundle.js), so a production image runs `node dist/...` with no compiler.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflows } from '../worker/worker';
import { compileEntryPoints, ROOT } from './services';

const DIST = join(ROOT, 'dist');

/** The processes an image runs: api, worker, migrations, the ledger check and the container health check. */
const ENTRY_POINTS = [
  'api/server.ts',
  'worker/main.ts',
  'scripts/migrate.ts',
  'scripts/ledger-check.ts',
  'scripts/healthcheck.ts',
];

rmSync(DIST, { recursive: true, force: true });
await compileEntryPoints(ENTRY_POINTS, DIST, { sourcemap: true });
const bundle = await bundleWorkflows();
writeFileSync(join(DIST, 'workflow-bundle.js'), bundle.code);
console.log(`built ${ENTRY_POINTS.length} entry points and the workflow bundle into dist/`);
