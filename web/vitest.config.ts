// Component tests: React components in jsdom, no server or database. `npm test` runs them too, with
// the process in Pacific/Auckland so nothing may lean on the machine's zone.
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  // The repository root, so paths given on the command line (e.g. --outputFile) mean the same as for the API suites.
  root: new URL('..', import.meta.url).pathname,
  plugins: [react()],
  test: {
    include: ['web/src/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
    setupFiles: ['web/src/test-setup.ts'],
  },
});
