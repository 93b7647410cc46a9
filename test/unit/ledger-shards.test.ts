// System accounts are sharded by operation so one tenant's postings never queue on one row.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SYSTEM_ACCOUNT_SHARDS, systemAccountShard } from '../../db/store/ledger';

describe('systemAccountShard', () => {
  it('gives an operation the same shard every time, within range', () => {
    const id = randomUUID();
    expect(systemAccountShard(id)).toBe(systemAccountShard(id));
    expect(systemAccountShard(id)).toBeGreaterThanOrEqual(0);
    expect(systemAccountShard(id)).toBeLessThan(SYSTEM_ACCOUNT_SHARDS);
  });

  it('spreads operations over every shard', () => {
    const counts = new Array<number>(SYSTEM_ACCOUNT_SHARDS).fill(0);
    for (let i = 0; i < 8_000; i++) counts[systemAccountShard(randomUUID())]! += 1;
    for (const n of counts) expect(n).toBeGreaterThan(700);
  });
});
