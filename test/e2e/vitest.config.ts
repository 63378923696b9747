// Browser end-to-end tests: the real server process on a real database, driven in Chromium.
// `npm run test:e2e` (build the dashboard first: `npm run build:web`; the server builds it when stale).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
