// `pgbench -b tpcb-like` on the same PostgreSQL server, scratch database, the ledger phase's client count.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dropDatabase, ensureDatabase } from '../../scripts/services';
import { percentile, round } from '../lib/load';
import type { BenchContext } from '../lib/context';

const run = promisify(execFile);
const PGBENCH = process.env.PGBENCH ?? '/usr/bin/pgbench';

export async function pgbenchTpcb(ctx: BenchContext) {
  const clients = ctx.sizes.ledgerClients;
  if (!existsSync(PGBENCH)) return { tps: null, reason: `${PGBENCH} not found`, clients };
  const database = 'bench_pgbench';
  await ensureDatabase(ctx.stack.adminUrl, database);
  const url = new URL(ctx.stack.adminUrl);
  url.pathname = `/${database}`;
  try {
    const scale = clients;
    await run(PGBENCH, ['-i', '-q', '-s', String(scale), url.toString()]);
    const prefix = join(ctx.stack.runDir, 'pgbench');
    const seconds = Math.round(ctx.sizes.loadMs / 1000);
    const { stdout } = await run(
      PGBENCH,
      [
        '-b',
        'tpcb-like',
        '-c',
        String(clients),
        '-j',
        '2',
        '-T',
        String(seconds),
        '-l',
        `--log-prefix=${prefix}`,
        url.toString(),
      ],
      { cwd: ctx.stack.runDir },
    );
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1]);
    const latencies: number[] = [];
    for (const file of readdirSync(ctx.stack.runDir).filter((f) => f.startsWith('pgbench.'))) {
      for (const line of readFileSync(join(ctx.stack.runDir, file), 'utf8').split('\n')) {
        const micros = Number(line.split(' ')[2]);
        if (micros) latencies.push(micros / 1000);
      }
    }
    latencies.sort((a, b) => a - b);
    return {
      clients,
      scale,
      seconds,
      tps: round(tps),
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      reason: null,
    };
  } catch (err) {
    return { clients, tps: null, reason: err instanceof Error ? err.message.slice(0, 300) : String(err) };
  } finally {
    await dropDatabase(ctx.stack.adminUrl, database).catch(() => undefined);
  }
}
