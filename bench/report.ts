// Printing and judging benchmark figures: one line per endpoint, ratios to both baselines, and the
// targets of the performance issue, each with how far it is from being met.
import type { Measurement } from './load.ts';

const rate = (results: Measurement[], name: string) => results.find((r) => r.name === name)?.rps;

export function formatLine(m: Measurement, results: Measurement[]): string {
  const plain = rate(results, 'baseline plain');
  const audited = rate(results, 'baseline audited');
  const ratio = (b: number | undefined, own?: number) => (own !== undefined ? own.toFixed(2) : b ? (m.rps / b).toFixed(2) : ' -  ');
  const bad = m.unexpected + m.errors > 0 ? `  !! ${m.unexpected} unexpected, ${m.errors} errors ${JSON.stringify(m.statusCodes)}` : '';
  return (
    `${m.name.padEnd(17)} ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${String(m.p50).padStart(3)} ms  p99 ${String(m.p99).padStart(4)} ms  ` +
    `x plain ${ratio(plain, m.ratioPlain)}  x audited ${ratio(audited, m.ratioAudited)}${bad}`
  );
}

export interface Verdict {
  target: string;
  ok: boolean;
  text: string;
}

/** p99 targets: the single-patient reads, and the busiest day's schedule (its first page of 100). */
const P99_TARGETS: [name: string, ms: number][] = [
  ['eligibility', 50],
  ['patient', 50],
  ['history', 50],
  ['schedule', 150],
];

export function verdicts(results: Measurement[], rssMb: number): Verdict[] {
  const plain = rate(results, 'baseline plain') ?? NaN;
  const audited = rate(results, 'baseline audited') ?? NaN;
  const out: Verdict[] = [];
  const ratioTarget = (name: string, base: number, baseName: string, min: number) => {
    const m = results.find((r) => r.name === name);
    if (!m) return;
    const own = baseName === 'plain' ? m.ratioPlain : m.ratioAudited;
    const ratio = own ?? m.rps / base;
    const ok = ratio >= min && m.unexpected === 0;
    const gap = ok
      ? ''
      : ratio < min
        ? ` — short by ${((1 - ratio / min) * 100).toFixed(0)}% (needs ${(base * min).toFixed(0)} req/s)`
        : ` — ${m.unexpected} unexpected answers`;
    out.push({
      target: `${name} >= ${min}x ${baseName}`,
      ok,
      text: `${name} ${ratio.toFixed(2)}x ${baseName} baseline (target >= ${min})${gap}`,
    });
  };
  ratioTarget('eligibility', audited, 'audited', 0.8);
  ratioTarget('patient', audited, 'audited', 0.7);
  ratioTarget('history', audited, 'audited', 0.7);
  ratioTarget('booking', plain, 'plain', 0.3);
  for (const [name, target] of P99_TARGETS) {
    const m = results.find((r) => r.name === name);
    if (!m) continue;
    const ok = m.p99 < target && m.unexpected === 0;
    out.push({
      target: `${name} p99 < ${target} ms`,
      ok,
      text: `${name} p99 ${m.p99} ms (target < ${target} ms)${m.p99 < target ? '' : ` — over by ${m.p99 - target} ms`}${m.unexpected ? ` — ${m.unexpected} unexpected answers` : ''}`,
    });
  }
  out.push({ target: 'RSS < 300 MB', ok: rssMb < 300, text: `peak RSS ${rssMb.toFixed(0)} MB (target < 300 MB)` });
  return out;
}
