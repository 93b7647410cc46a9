// The ordered list of migrations; each new migration file is added here.
import { Migration20261121100629_foundation } from './Migration20261121100629_foundation';

export const migrations = [Migration20261121100629_foundation];
