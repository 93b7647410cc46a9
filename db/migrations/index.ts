// The ordered list of migrations; each new migration file is added here.
import { Migration20261121100629_foundation } from './Migration20261121100629_foundation';
import { Migration20261121120000_identity } from './Migration20261121120000_identity';
import { Migration20261121130000_ledger } from './Migration20261121130000_ledger';
import { Migration20261121140000_messaging } from './Migration20261121140000_messaging';
import { Migration20261121150000_partners } from './Migration20261121150000_partners';
import { Migration20261121160000_cursor_precision } from './Migration20261121160000_cursor_precision';
import { Migration20261122033000_balance_range } from './Migration20261122033000_balance_range';
import { Migration20261122040000_payouts } from './Migration20261122040000_payouts';

export const migrations = [
  Migration20261121100629_foundation,
  Migration20261121120000_identity,
  Migration20261121130000_ledger,
  Migration20261121140000_messaging,
  Migration20261121150000_partners,
  Migration20261121160000_cursor_precision,
  Migration20261122033000_balance_range,
  Migration20261122040000_payouts,
];
