// The chaos run in miniature (issue 11): the bank workload on its own PostgreSQL and Temporal dev server while the
// worker is SIGKILLed, the API restarted, Temporal (with its database file) and PostgreSQL restarted once, and
// bank callbacks lost, delayed and duplicated. Every money check of `npm run chaos` must pass.
import { describe, expect, it } from 'vitest';
import { FULL_RUN, runChaos } from '../../scripts/chaos/run';

describe('chaos run (small)', () => {
  it(
    'loses no money while every part of the system is killed and restarted',
    { timeout: 900_000 },
    async () => {
      const log: string[] = [];
      const report = await runChaos({
        ...FULL_RUN,
        transfers: 80,
        clients: 4,
        wallets: 12,
        confirmTimeout: '5s',
        killEveryMs: 4_000,
        apiRestartsAt: [0.3],
        temporalRestartAt: 0.5,
        postgresRestartAt: 0.7,
        settleTimeoutMs: 6 * 60_000,
        log: (line) => log.push(line),
      });
      const counts = report.counts;
      console.log(`chaos (small): ${JSON.stringify(counts)}`);
      expect(report.violations, log.slice(-40).join('\n')).toEqual([]);
      expect(Number(counts.accepted)).toBeGreaterThan(0);
      expect(counts.workerKills).toBeGreaterThan(0);
      expect(counts).toMatchObject({ apiRestarts: 1, temporalRestarts: 1, postgresRestarts: 1 });
      expect(counts.keysMovingMoneyTwice).toBe(0);
    },
  );
});
