// vitest configuration of `npm run replay:refresh`: only the history recorder, with the usual global setup.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    include: ['test/replay/record-histories.ts'],
    pool: 'forks',
    testTimeout: 300_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
