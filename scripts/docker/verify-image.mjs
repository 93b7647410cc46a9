// Checks an image's /app (or the directory given) works without a compiler: the native bindings load (argon2
// hashes, swc transforms), the workflow bundle is there, and every compiled entry point links (all its imports
// resolve) and starts far enough to validate its configuration. Plain JavaScript: runs before and after the build.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const app = resolve(process.argv[2] ?? process.cwd());
const require = createRequire(join(app, 'package.json'));
const failures = [];

async function check(name, run) {
  try {
    await run();
    console.log(`ok   ${name}`);
  } catch (err) {
    failures.push(name);
    console.log(`FAIL ${name}: ${err instanceof Error ? err.message : err}`);
  }
}

await check('@node-rs/argon2 hashes and verifies', async () => {
  const { hash, verify } = require('@node-rs/argon2');
  const hashed = await hash('image check password');
  if (!hashed.startsWith('$argon2id$') || !(await verify(hashed, 'image check password')))
    throw new Error(hashed);
});

await check('@swc/core transforms (the workflow bundler needs it)', () => {
  const { transformSync } = require('@swc/core');
  const { code } = transformSync('const x: number = 1; export default x;', {
    jsc: { parser: { syntax: 'typescript' } },
  });
  if (!code.includes('x = 1') || code.includes('number')) throw new Error(code);
});

await check('dist/workflow-bundle.js was built', () => {
  const bundle = join(app, 'dist', 'workflow-bundle.js');
  if (!existsSync(bundle) || statSync(bundle).size < 10_000) throw new Error(`${bundle} missing or empty`);
});

const ENTRY_POINTS = {
  'dist/api/server.js': /DATABASE_URL/,
  'dist/worker/main.js': /DATABASE_URL/,
  'dist/scripts/migrate.js': /DATABASE_URL/,
  'dist/scripts/ledger-check.js': /DATABASE_URL/,
};

for (const [entry, expected] of Object.entries(ENTRY_POINTS)) {
  await check(`${entry} links and asks for its configuration`, () => {
    let output;
    try {
      output = execFileSync(process.execPath, [join(app, entry)], {
        cwd: app,
        env: { PATH: process.env.PATH, NODE_ENV: 'production' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 30_000,
      });
    } catch (err) {
      output = `${err.stdout ?? ''}${err.stderr ?? ''}`;
    }
    if (
      /SyntaxError|ERR_MODULE_NOT_FOUND|Cannot find (module|package)/.test(output) ||
      !expected.test(output)
    ) {
      throw new Error(output.trim().split('\n').slice(0, 6).join('\n'));
    }
  });
}

if (failures.length) {
  console.error(`image check failed: ${failures.join('; ')}`);
  process.exit(1);
}
