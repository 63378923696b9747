// The report as CSV sections, streamed record by record through csv-stringify: the CSV text is never
// held whole in memory. Layout, repeated for each section:
//   section,<name>
//   <header row: the JSON item's keys>
//   <one row per item>
//   <blank line>
// meta and totals are key,value rows (nested keys joined with dots). Cells: null → empty, lists joined
// with ';', booleans true/false. Text a spreadsheet would run as a formula (=, +, @, tab, CR, or a '-'
// followed by more than a plain number/identifier) is prefixed with an apostrophe (OWASP CSV injection).
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { z } from 'zod';
import {
  AbsenceItem,
  AuditGapItem,
  AuditSealItem,
  ClosedEpisodeItem,
  DayInjection,
  ExemptionItem,
  FlagItem,
  IntegrityCheck,
  MissingOutcomeItem,
  R1ViolationItem,
  NowIneligibleItem,
  R2PairItem,
  type DailyReportT,
} from './report.schemas.ts';

const FORMULA_START = /^[=+@\t\r]/;
const PLAIN_DASH = /^-[A-Za-z0-9.:-]*$/;

export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(csvCell).join(';');
  if (typeof v === 'string') return FORMULA_START.test(v) || (v.startsWith('-') && !PLAIN_DASH.test(v)) ? `'${v}` : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function flatten(o: Record<string, unknown>, prefix = ''): [string, unknown][] {
  return Object.entries(o).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? flatten(v as Record<string, unknown>, `${prefix}${k}.`)
      : [[`${prefix}${k}`, v] as [string, unknown]],
  );
}

type Row = string[];

function* keyValueSection(name: string, o: Record<string, unknown>): Generator<Row> {
  yield ['section', name];
  yield ['key', 'value'];
  for (const [k, v] of flatten(o)) yield [k, csvCell(v)];
  yield [];
}

function* tableSection(name: string, schema: z.ZodObject, items: readonly object[]): Generator<Row> {
  const columns = Object.keys(schema.shape);
  yield ['section', name];
  yield columns;
  for (const item of items) yield columns.map((c) => csvCell((item as Record<string, unknown>)[c]));
  yield [];
}

/** Every CSV record of the report, in order. */
export function* csvRecords(r: DailyReportT): Generator<Row> {
  yield* keyValueSection('meta', r.meta);
  yield* keyValueSection('totals', r.totals);
  yield* tableSection('injections', DayInjection, r.injections);
  yield* tableSection('r1Exemptions', ExemptionItem, r.r1Exemptions);
  yield* tableSection('integrity', IntegrityCheck, r.integrity.checks);
  yield* tableSection('integrity.r2IntervalPairs', R2PairItem, r.integrity.r2IntervalPairs);
  yield* tableSection('integrity.r1WithoutExemption', R1ViolationItem, r.integrity.r1WithoutExemption);
  yield* tableSection('integrity.scheduledNowIneligible', NowIneligibleItem, r.integrity.scheduledNowIneligible);
  yield* tableSection('integrity.closedEpisodeInjections', ClosedEpisodeItem, r.integrity.closedEpisodeInjections);
  yield* tableSection('integrity.auditGaps', AuditGapItem, r.integrity.auditGaps);
  yield* tableSection('integrity.auditSeals', AuditSealItem, r.integrity.auditSeals);
  yield* keyValueSection('integrity.seals', r.integrity.seals);
  yield* tableSection('missingOutcomes', MissingOutcomeItem, r.missingOutcomes);
  yield* tableSection('noShowsAndCancellations', AbsenceItem, r.noShowsAndCancellations);
  yield* tableSection('flags', FlagItem, r.flags);
}

/** A readable CSV stream of the report; backpressure flows from the consumer to the generator. */
export function csvStream(r: DailyReportT): Readable {
  return Readable.from(csvRecords(r)).pipe(stringify({ eof: true }));
}
