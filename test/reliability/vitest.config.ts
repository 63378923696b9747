// `npm run test:reliability`: real server processes on a real PostgreSQL under crashes, outages,
// hostile input and sustained load. Files run one after another: each one loads the machine on its own.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/reliability/**/*.test.ts'],
    globalSetup: ['test/reliability/setup/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 600_000,
    hookTimeout: 180_000,
    // Figures are printed as each test ends; keep them in order and unbuffered.
    silent: false,
  },
});
