// Builds the nightly audit report for one clinic-local date. The one builder behind all three entry
// points (GET /v1/reports/daily, the `report` CLI, the in-server scheduler). All sections are read in
// one read-only REPEATABLE READ transaction on one connection: one consistent snapshot, so totals,
// sections and integrity checks never disagree with each other.
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type pg from 'pg';
import { FLAG_PARAMETERS } from '../injections/flags.rules.ts';
import { OUTCOME_PARAMETERS, RULE_PARAMETERS } from '../injections/injection.rules.ts';
import { APP_VERSION } from '../../version.ts';
import {
  dayAbsences,
  dayExemptions,
  dayInjections,
  EXEMPTION_WARNING_HOURS,
  missingOutcomes,
  OUTCOME_DUE_DAYS,
} from './report-day.queries.ts';
import { clinicTotals, flaggedPatients } from './report-flags.queries.ts';
import {
  auditGaps,
  closedEpisodeInjections,
  r1WithoutExemption,
  r2IntervalPairs,
  scheduledNowIneligible,
} from './report-integrity.queries.ts';
import { INTEGRITY_CHECKS, REPORT_FLAGS, type DailyReportT, type IntegrityCheckName } from './report.schemas.ts';

/** Integrity checks list at most this many items each (with the full count), so a badly broken
 * database still yields a report of bounded size. */
export const INTEGRITY_ITEM_LIMIT = 10_000;

const CHECK_DESCRIPTIONS: Record<IntegrityCheckName, string> = {
  r2IntervalPairs: `Pairs of scheduled/completed injections of one patient under ${RULE_PARAMETERS.minIntervalDays} days apart`,
  r1WithoutExemption: `Injections before day ${RULE_PARAMETERS.conservativeTrialDays} of conservative care whose episode had no exemption when they were booked, or dated before conservative care began`,
  scheduledNowIneligible:
    'Scheduled injections the episode as it is now would refuse: its R1 exemption was withdrawn or a red flag was added without a clearance',
  closedEpisodeInjections: 'Injections still scheduled on a closed episode, or completed on a date after the episode was closed',
  auditGaps: 'Patients, episodes and injections whose state lacks the audit event that must record it',
};

export interface BuildOptions {
  date: string;
  zone: string;
  now: Date;
}

/** Canonical JSON (object keys sorted) so the hash depends on content only, never on key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** SHA-256 of the report without the production metadata (generatedAt, version, the hash itself). */
export function contentHash(
  report: Omit<DailyReportT, 'meta'> & { meta: Omit<DailyReportT['meta'], 'contentHash'> | DailyReportT['meta'] },
): string {
  const { generatedAt: _g, version: _v, ...meta } = report.meta as DailyReportT['meta'];
  const { contentHash: _h, ...rest } = meta;
  return createHash('sha256')
    .update(canonical({ ...report, meta: rest }))
    .digest('hex');
}

async function readSections(client: pg.PoolClient, date: string, zone: string) {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    // A nightly job over years of history: more time and sort memory than an API request gets.
    await client.query("SET LOCAL statement_timeout = '10min'");
    await client.query("SET LOCAL work_mem = '64MB'");
    // JIT compilation cost seconds per query here and saved nothing: these plans are hash joins and scans.
    await client.query('SET LOCAL jit = off');
    const sections = {
      injections: await dayInjections(client, date),
      r1Exemptions: await dayExemptions(client, date),
      absences: await dayAbsences(client, date),
      missingOutcomes: await missingOutcomes(client, date),
      r2IntervalPairs: await r2IntervalPairs(client, INTEGRITY_ITEM_LIMIT),
      r1WithoutExemption: await r1WithoutExemption(client, INTEGRITY_ITEM_LIMIT),
      scheduledNowIneligible: await scheduledNowIneligible(client, INTEGRITY_ITEM_LIMIT),
      closedEpisodeInjections: await closedEpisodeInjections(client, zone, INTEGRITY_ITEM_LIMIT),
      auditGaps: await auditGaps(client, INTEGRITY_ITEM_LIMIT),
      flags: await flaggedPatients(client, date),
      clinic: await clinicTotals(client),
    };
    await client.query('COMMIT');
    return sections;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

export async function buildDailyReport(pool: pg.Pool, opts: BuildOptions): Promise<DailyReportT> {
  const { date, zone } = opts;
  const client = await pool.connect();
  let s: Awaited<ReturnType<typeof readSections>>;
  try {
    s = await readSections(client, date, zone);
  } finally {
    client.release();
  }
  const localTime = (instant: string) => DateTime.fromISO(instant, { zone }).toFormat('HH:mmZZ');
  const dayStart = DateTime.fromISO(date, { zone }).startOf('day');
  const dayEnd = dayStart.plus({ days: 1 });

  const byStatus = { scheduled: 0, completed: 0, cancelled: 0, no_show: 0, total: s.injections.length };
  for (const i of s.injections) byStatus[i.status] += 1;
  const flagCounts = Object.fromEntries(REPORT_FLAGS.map((f) => [f, s.flags.filter((x) => x.flag === f).length])) as Record<
    (typeof REPORT_FLAGS)[number],
    number
  >;
  const checks = INTEGRITY_CHECKS.map((check) => {
    const { count, items } = s[check];
    return { check, description: CHECK_DESCRIPTIONS[check], ok: count === 0, count, truncated: items.length < count };
  });
  const integrityIssues = checks.reduce((n, c) => n + c.count, 0);

  const body = {
    meta: {
      date,
      timeZone: zone,
      dayStartsAt: dayStart.toUTC().toISO() ?? '',
      dayEndsAt: dayEnd.toUTC().toISO() ?? '',
      hoursInDay: dayEnd.diff(dayStart, 'hours').hours,
      ruleParameters: { ...RULE_PARAMETERS, outcomeMinDaysAfterInjection: OUTCOME_PARAMETERS.minDaysAfterInjection },
      flagParameters: { ...FLAG_PARAMETERS },
      reportParameters: {
        exemptionWarningHours: EXEMPTION_WARNING_HOURS,
        outcomeDueDays: OUTCOME_DUE_DAYS,
        integrityItemLimit: INTEGRITY_ITEM_LIMIT,
      },
      generatedAt: opts.now.toISOString(),
      version: APP_VERSION,
    },
    totals: {
      injections: byStatus,
      r1Exemptions: s.r1Exemptions.length,
      r1ExemptionsFlagged: s.r1Exemptions.filter((e) => e.flagged).length,
      integrityIssues,
      missingOutcomes: s.missingOutcomes.length,
      noShows: s.absences.filter((a) => a.status === 'no_show').length,
      cancellations: s.absences.filter((a) => a.status === 'cancelled').length,
      flags: flagCounts,
      clinic: s.clinic,
    },
    injections: s.injections.map((i) => ({ ...i, localTime: localTime(i.scheduledAt) })),
    r1Exemptions: s.r1Exemptions,
    integrity: {
      ok: integrityIssues === 0,
      checks,
      r2IntervalPairs: s.r2IntervalPairs.items,
      r1WithoutExemption: s.r1WithoutExemption.items,
      scheduledNowIneligible: s.scheduledNowIneligible.items,
      closedEpisodeInjections: s.closedEpisodeInjections.items,
      auditGaps: s.auditGaps.items,
    },
    missingOutcomes: s.missingOutcomes,
    noShowsAndCancellations: s.absences.map((a) => ({ ...a, localTime: localTime(a.scheduledAt) })),
    flags: s.flags,
  };
  return { ...body, meta: { ...body.meta, contentHash: contentHash(body) } };
}
