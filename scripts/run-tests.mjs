// `npm test`: the whole suite with the process in UTC, then the scheduling suites again with a process
// zone far from the clinic's (Pacific/Auckland), so no code path may lean on the machine's zone.
// Then the dashboard's component tests. Ends with one line "N passed, N failed, N skipped" totalled over all runs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';

const extra = process.argv.slice(2);
mkdirSync('test-results', { recursive: true });
const runs = [
  { tz: 'UTC', out: 'test-results/vitest-utc.json', args: extra },
  { tz: 'Pacific/Auckland', out: 'test-results/vitest-auckland.json', args: extra.length ? extra : ['test/unit', 'test/api/scheduling'] },
  // The dashboard's component tests (jsdom), in a zone far from the clinic's.
  ...(extra.length ? [] : [{ tz: 'Pacific/Auckland', out: 'test-results/vitest-web.json', args: ['--config', 'web/vitest.config.ts'] }]),
];
let passed = 0;
let failed = 0;
let skipped = 0;
let exitCode = 0;
for (const run of runs) {
  process.stdout.write(`\n== vitest with TZ=${run.tz}\n`);
  const r = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${run.out}`, ...run.args], {
    stdio: 'inherit',
    env: { ...process.env, TZ: run.tz },
  });
  if (r.status !== 0) exitCode = r.status ?? 1;
  if (existsSync(run.out)) {
    const j = JSON.parse(readFileSync(run.out, 'utf8'));
    passed += j.numPassedTests;
    failed += j.numFailedTests + (j.numRuntimeErrorTestSuites ?? 0);
    skipped += j.numPendingTests + (j.numTodoTests ?? 0);
  } else if (exitCode === 0) {
    exitCode = 1;
  }
}
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(exitCode);
