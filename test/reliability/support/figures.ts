// Every test prints its figures (counts, timings) to stdout and adds them to
// test-results/reliability-figures.json, from which docs/reliability.md is written.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { PROFILE } from './profile.ts';

const FILE = `test-results/reliability-figures-${PROFILE}.json`;

export function printFigures(section: string, figures: Record<string, unknown>): void {
  const lines = Object.entries(figures).map(([k, v]) => `  ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  console.log(`\n[reliability:${PROFILE}] ${section}\n${lines.join('\n')}`);
  mkdirSync('test-results', { recursive: true });
  const all = existsSync(FILE) ? (JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, unknown>) : {};
  all[section] = { ...figures, at: new Date().toISOString() };
  writeFileSync(FILE, `${JSON.stringify(all, null, 2)}\n`);
}

/** Nearest-rank percentile of a list of numbers (milliseconds). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[rank]! * 10) / 10;
}

/** Counts of each value, e.g. status codes, as a plain object sorted by key. */
export function tally(values: Iterable<string | number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[String(v)] = (out[String(v)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
