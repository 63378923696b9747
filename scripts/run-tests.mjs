// `npm test`: the whole suite with the process in UTC, then the scheduling suites again with a process
// zone far from the clinic's (Pacific/Auckland), so no code path may lean on the machine's zone.
// Then the dashboard's component tests. Ends with one line "N passed, N failed, N skipped" totalled over all runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { summarize } from './test-summary.mjs';

const extra = process.argv.slice(2);
mkdirSync('test-results', { recursive: true });
const runs = [
  { tz: 'UTC', out: 'test-results/vitest-utc.json', args: extra },
  { tz: 'Pacific/Auckland', out: 'test-results/vitest-auckland.json', args: extra.length ? extra : ['test/unit', 'test/api/scheduling'] },
  // The dashboard's component tests (jsdom), in a zone far from the clinic's.
  ...(extra.length ? [] : [{ tz: 'Pacific/Auckland', out: 'test-results/vitest-web.json', args: ['--config', 'web/vitest.config.ts'] }]),
];
let exitCode = 0;
for (const run of runs) {
  process.stdout.write(`\n== vitest with TZ=${run.tz}\n`);
  const r = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${run.out}`, ...run.args], {
    stdio: 'inherit',
    env: { ...process.env, TZ: run.tz },
  });
  if (r.status !== 0) exitCode = r.status ?? 1;
  if (!existsSync(run.out)) exitCode ||= 1;
}
const totals = summarize(runs.map((r) => r.out));
if (totals.failed > 0) exitCode ||= 1;
process.stdout.write(`\n${totals.line}\n`);
process.exit(exitCode);
