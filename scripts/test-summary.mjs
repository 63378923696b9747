// Totals vitest JSON reports into the one closing line CI reads: "N passed, N failed, N skipped".
// A file that failed outside its tests (a hook, an import) counts as one failure, so it cannot pass
// silently. As a command: `node scripts/test-summary.mjs report.json …` prints the line.
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export function summarize(files) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const file of files) {
    if (!existsSync(file)) continue;
    const j = JSON.parse(readFileSync(file, 'utf8'));
    const brokenFiles = j.testResults.filter((r) => r.status === 'failed' && !r.assertionResults.some((a) => a.status === 'failed')).length;
    passed += j.numPassedTests;
    failed += j.numFailedTests + brokenFiles;
    skipped += j.numPendingTests + (j.numTodoTests ?? 0);
  }
  return { passed, failed, skipped, line: `${passed} passed, ${failed} failed, ${skipped} skipped` };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${summarize(process.argv.slice(2)).line}\n`);
}
