// `npm run chaos [-- --transfers N --clients N --wallets N --kill-every-ms MS --workload-minutes M]`: Jepsen's bank workload against its own PostgreSQL and Temporal
// with the worker SIGKILLed every few seconds, the API restarted twice, Temporal and PostgreSQL restarted once and
// bank callbacks lost, delayed and duplicated; prints the counts, exits non-zero on any violation.
import { parseArgs } from 'node:util';
import { FULL_RUN, runChaos } from './chaos/run';

const { values } = parseArgs({
  options: {
    transfers: { type: 'string', default: String(FULL_RUN.transfers) },
    clients: { type: 'string', default: String(FULL_RUN.clients) },
    wallets: { type: 'string', default: String(FULL_RUN.wallets) },
    'kill-every-ms': { type: 'string', default: String(FULL_RUN.killEveryMs) },
    /** Stop starting transfers after this many minutes (0: none), then settle and verify what was sent. */
    'workload-minutes': { type: 'string', default: '0' },
  },
});

const log = (line: string) => console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}`);
const report = await runChaos({
  ...FULL_RUN,
  transfers: Number(values.transfers),
  clients: Number(values.clients),
  wallets: Number(values.wallets),
  killEveryMs: Number(values['kill-every-ms']),
  workloadBudgetMs: Number(values['workload-minutes']) * 60_000,
  log,
});
console.log('\nchaos run counts:');
for (const [name, value] of Object.entries(report.counts)) console.log(`  ${name.padEnd(34)} ${value}`);
if (report.violations.length) {
  console.error(`\nVIOLATIONS (${report.violations.length}):`);
  for (const v of report.violations.slice(0, 100)) console.error(`  - ${v}`);
  process.exit(1);
}
console.log('\nevery check passed');
process.exit(0);
