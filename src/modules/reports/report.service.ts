// Builds the nightly audit report for one clinic-local date. The one builder behind all three entry
// points (GET /v1/reports/daily, the `report` CLI, the in-server scheduler). All sections are read in
// read-only REPEATABLE READ transactions on two connections sharing one exported snapshot: one
// consistent view, so totals, sections and integrity checks never disagree with each other.
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
import { batched, canonicalChunks } from './report-json.ts';
import {
  auditGaps,
  closedEpisodeInjections,
  r1WithoutExemption,
  r2IntervalPairs,
  scheduledNowIneligible,
} from './report-integrity.queries.ts';
import { verifyAuditSeals } from '../audit/audit-seals.ts';
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
  auditSeals: 'Sealed days whose audit events were changed, removed or inserted after sealing, or whose seals were altered',
};

export interface BuildOptions {
  date: string;
  zone: string;
  now: Date;
}

/** SHA-256 of the report without the production metadata (generatedAt, version, the hash itself). */
export function contentHash(
  report: Omit<DailyReportT, 'meta'> & { meta: Omit<DailyReportT['meta'], 'contentHash'> | DailyReportT['meta'] },
): string {
  const { generatedAt: _g, version: _v, ...meta } = report.meta as DailyReportT['meta'];
  const { contentHash: _h, ...rest } = meta;
  // Hashed piece by piece: the canonical text of a large report is never held whole.
  const hash = createHash('sha256');
  for (const piece of batched(canonicalChunks({ ...report, meta: rest }))) hash.update(piece);
  return hash.digest('hex');
}

const SNAPSHOT_SETTINGS = [
  // A nightly job over years of history: more sort memory than an API request gets (and more time:
  // it runs on the report's own pool, whose statement limit is minutes, not seconds).
  "SET LOCAL work_mem = '64MB'",
  // JIT compilation cost seconds per query here and saved nothing: these plans are hash joins and scans.
  'SET LOCAL jit = off',
];

/** Runs `work` on two connections that see one snapshot: the first exports it, the second imports
 * it (SET TRANSACTION SNAPSHOT), so the sections read on either describe the same instant. Two
 * connections let PostgreSQL compute the integrity checks while this process receives and parses the
 * day's sections and the overdue outcomes. */
async function inOneSnapshot<T>(pool: pg.Pool, work: (a: pg.PoolClient, b: pg.PoolClient) => Promise<T>): Promise<T> {
  const a = await pool.connect();
  let b: pg.PoolClient | undefined;
  const begun: pg.PoolClient[] = [];
  try {
    await a.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    begun.push(a);
    const { rows } = await a.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
    b = await pool.connect();
    await b.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    begun.push(b);
    await b.query(`SET TRANSACTION SNAPSHOT '${rows[0]!.id.replace(/[^0-9A-F-]/gi, '')}'`);
    for (const c of begun) for (const sql of SNAPSHOT_SETTINGS) await c.query(sql);
    const result = await work(a, b);
    await Promise.all(begun.map((c) => c.query('COMMIT')));
    return result;
  } catch (err) {
    await Promise.all(begun.map((c) => c.query('ROLLBACK').catch(() => undefined)));
    throw err;
  } finally {
    b?.release();
    a.release();
  }
}

async function readSections(pool: pg.Pool, date: string, zone: string) {
  return inOneSnapshot(pool, async (a, b) => {
    // The integrity checks (PostgreSQL's work) on one connection while the other carries the rows.
    const integrity = (async () => ({
      r2IntervalPairs: await r2IntervalPairs(b, INTEGRITY_ITEM_LIMIT),
      r1WithoutExemption: await r1WithoutExemption(b, INTEGRITY_ITEM_LIMIT),
      scheduledNowIneligible: await scheduledNowIneligible(b, INTEGRITY_ITEM_LIMIT),
      closedEpisodeInjections: await closedEpisodeInjections(b, zone, INTEGRITY_ITEM_LIMIT),
      auditGaps: await auditGaps(b, INTEGRITY_ITEM_LIMIT),
      seals: await verifyAuditSeals(b, date),
    }))();
    const day = (async () => ({
      injections: await dayInjections(a, date),
      r1Exemptions: await dayExemptions(a, date),
      absences: await dayAbsences(a, date),
      missingOutcomes: await missingOutcomes(a, date),
      flags: await flaggedPatients(a, date),
      clinic: await clinicTotals(a),
    }))();
    // Both settle before either error is thrown: no query is left running on a released connection.
    const [i, d] = await Promise.allSettled([integrity, day]);
    if (i.status === 'rejected') throw i.reason;
    if (d.status === 'rejected') throw d.reason;
    return { ...d.value, ...i.value };
  });
}

export async function buildDailyReport(pool: pg.Pool, opts: BuildOptions): Promise<DailyReportT> {
  const { date, zone } = opts;
  const s = await readSections(pool, date, zone);
  const localTime = (instant: string) => DateTime.fromISO(instant, { zone }).toFormat('HH:mmZZ');
  const dayStart = DateTime.fromISO(date, { zone }).startOf('day');
  const dayEnd = dayStart.plus({ days: 1 });

  const byStatus = { scheduled: 0, completed: 0, cancelled: 0, no_show: 0, total: s.injections.length };
  for (const i of s.injections) byStatus[i.status] += 1;
  const flagCounts = Object.fromEntries(REPORT_FLAGS.map((f) => [f, s.flags.filter((x) => x.flag === f).length])) as Record<
    (typeof REPORT_FLAGS)[number],
    number
  >;
  const auditSeals = { count: s.seals.problems.length, items: s.seals.problems.slice(0, INTEGRITY_ITEM_LIMIT) };
  const found = { ...s, auditSeals };
  const checks = INTEGRITY_CHECKS.map((check) => {
    const { count, items } = found[check];
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
      auditSeals: auditSeals.items,
      seals: { sealedDays: s.seals.sealedDays, firstDay: s.seals.firstDay, lastDay: s.seals.lastDay, lastSeal: s.seals.lastSeal },
    },
    missingOutcomes: s.missingOutcomes,
    noShowsAndCancellations: s.absences.map((a) => ({ ...a, localTime: localTime(a.scheduledAt) })),
    flags: s.flags,
  };
  return { ...body, meta: { ...body.meta, contentHash: contentHash(body) } };
}
