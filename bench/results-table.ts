// `node --import tsx bench/results-table.ts [bench/results.json]` — the figures of a benchmark run as a
// Markdown table, for docs/performance.md.
import { readFileSync } from 'node:fs';
import type { Measurement } from './load.ts';
import type { Verdict } from './report.ts';

interface Results {
  at: string;
  command: string[];
  cores: number;
  loadAverage?: number[];
  instances: number;
  pool: number;
  rounds?: number;
  duration: number;
  connections: number;
  data: { patients: number; injections: number; busyDay: string; busyDayCount: number };
  results: Measurement[];
  peakRssMb: number;
  verdicts: Verdict[];
}

const r = JSON.parse(readFileSync(process.argv[2] ?? new URL('results.json', import.meta.url), 'utf8')) as Results;
const fmt = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(2));
const lines = [
  `Run ${r.at.slice(0, 16).replace('T', ' ')} UTC: \`npm run bench -- ${r.command.join(' ')}\` — ${r.instances} instance(s), pool ${r.pool}, ` +
    `${r.connections} connections, ${r.duration} s per measurement, median of ${r.rounds ?? 1} round(s), ${r.cores} cores` +
    `${r.loadAverage ? `, load average at start ${r.loadAverage.map((l) => l.toFixed(1)).join(' / ')}` : ''}; ` +
    `${r.data.patients} patients, ${r.data.injections} injections, busy day ${r.data.busyDay} (${r.data.busyDayCount} injections).`,
  '',
  '| endpoint | req/s | p50 ms | p99 ms | × plain | × audited |',
  '|---|---:|---:|---:|---:|---:|',
  ...r.results.map((m) => `| ${m.name} | ${m.rps.toFixed(0)} | ${m.p50} | ${m.p99} | ${fmt(m.ratioPlain)} | ${fmt(m.ratioAudited)} |`),
  '',
  `Peak RSS of the server (VmHWM): ${r.peakRssMb} MB.`,
];
console.log(lines.join('\n'));
