// CLI: verifies the ledger invariants (npm run ledger:check [-- --tenant <id>] [--require-terminal]).
import { parseArgs } from 'node:util';
import { loadConfig } from '../domain/config';
import { openOrm } from '../db/orm';
import { checkLedger } from '../db/store/ledger-check';

const { values } = parseArgs({
  options: { tenant: { type: 'string' }, 'require-terminal': { type: 'boolean', default: false } },
});

const config = loadConfig();
const orm = await openOrm(config.DATABASE_URL, { poolMax: 2 });
try {
  const result = await checkLedger(orm.em.fork(), {
    tenantId: values.tenant,
    requireTerminal: values['require-terminal'],
  });
  if (result.ok) {
    console.log('ledger check passed: every invariant holds');
  } else {
    console.error(`ledger check FAILED (${result.violations.length} violations):`);
    for (const v of result.violations) console.error(`  - ${v}`);
    process.exitCode = 1;
  }
} finally {
  await orm.close();
}
