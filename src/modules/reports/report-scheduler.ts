// The nightly report inside the server: the previous day's report at 02:00 clinic time (see
// report-schedule.rules.ts for DST), exactly once across instances, with missed nights caught up.
// A tick each minute asks "which due dates lack a successful scheduled run?", so a server that was
// down at 02:00, or that starts later, catches up on its first tick; no long timers to drift.
// Exactly once: a PostgreSQL advisory lock per date (held by one instance while it produces), and a
// partial unique index on report_runs (one non-failed scheduled run per date) that an instance
// arriving later the same night runs into.
import type { Logger } from 'pino';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/prisma.ts';
import { isUniqueViolation } from '../../shared/db-errors.ts';
import { APP_VERSION } from '../../version.ts';
import { sealAuditDays } from '../audit/audit-seals.ts';
import { describeReportFailure } from './report-failure.ts';
import { produceReport } from './report-producer.ts';
import {
  abandonStaleScheduledRuns,
  firstScheduledDate,
  insertRun,
  scheduledDatesDone,
  scheduledRunSucceeded,
} from './report-runs.repository.ts';
import { addDaysIso, datesToProduce, latestDueDate } from './report-schedule.rules.ts';

/** First key of the two-int advisory lock; the second is the report date as a day number. */
export const REPORT_LOCK_NAMESPACE = 7_213_002;
const CATCH_UP_NIGHTS = 7;
const RETRY_AFTER_FAILURE_MS = 15 * 60_000;

export interface SchedulerOptions {
  db: Database;
  config: Config;
  log: Logger;
  clock?: () => Date;
  tickMs?: number;
  firstTickMs?: number;
  catchUpNights?: number;
}

export interface ScheduledOutcome {
  date: string;
  outcome: 'produced' | 'exists' | 'busy' | 'failed';
  runId?: string;
}

const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);

export function createReportScheduler(opts: SchedulerOptions) {
  const { db, config, log } = opts;
  const zone = config.clinicTimeZone;
  const clock = opts.clock ?? (() => new Date());
  const catchUp = opts.catchUpNights ?? CATCH_UP_NIGHTS;
  let upToDate: string | null = null;
  let retryAt = 0;
  let inFlight: Promise<unknown> | null = null;
  let stopped = false;
  const timers: NodeJS.Timeout[] = [];

  async function produceScheduled(date: string): Promise<ScheduledOutcome> {
    // The advisory lock is held on a report connection for as long as the report takes.
    const client = await db.reportPool.connect();
    const key = [REPORT_LOCK_NAMESPACE, dayNumber(date)];
    let broken = false;
    try {
      const lock = await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS got', key);
      if (!lock.rows[0]?.got) return { date, outcome: 'busy' };
      try {
        if (await scheduledRunSucceeded(client, date)) return { date, outcome: 'exists' };
        await abandonStaleScheduledRuns(client, date);
        let runId: string;
        try {
          runId = await insertRun(client, date, 'scheduled', APP_VERSION);
        } catch (err) {
          if (isUniqueViolation(err)) return { date, outcome: 'exists' };
          throw err;
        }
        const { run, files } = await produceReport(db, { date, zone, trigger: 'scheduled', now: clock(), outDir: config.reportDir }, runId);
        log.info(
          { date, runId, files, integrityIssues: run.totals?.integrityIssues, differsFromPrevious: run.differsFromPrevious },
          'nightly report produced',
        );
        return { date, outcome: 'produced', runId };
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, $2)', key).catch(() => {
          broken = true; // the session is gone, and its lock with it
        });
      }
    } finally {
      client.release(broken);
    }
  }

  /** Produces every due report that has no successful scheduled run yet; returns what happened. */
  async function runDue(): Promise<ScheduledOutcome[]> {
    const now = clock();
    const latest = latestDueDate(now, zone);
    if (upToDate === latest || now.getTime() < retryAt) return [];
    // Seal every ended day of the audit trail first, so the reports below verify them too. A failure
    // here is logged and retried with the next night's run; the reports go ahead.
    try {
      const { sealed } = await sealAuditDays(db.pool, zone, now);
      if (sealed.length) log.info({ from: sealed[0], to: sealed.at(-1), days: sealed.length }, 'audit trail sealed');
    } catch (err) {
      log.error({ failure: describeReportFailure(err) }, 'sealing the audit trail failed');
    }
    const [done, first] = await Promise.all([
      scheduledDatesDone(db.pool, addDaysIso(latest, -(catchUp - 1)), latest),
      firstScheduledDate(db.pool),
    ]);
    const results: ScheduledOutcome[] = [];
    for (const date of datesToProduce(latest, done, catchUp, first)) {
      if (stopped) break;
      try {
        results.push(await produceScheduled(date));
      } catch (err) {
        log.error({ date, failure: describeReportFailure(err) }, 'nightly report failed');
        results.push({ date, outcome: 'failed' });
      }
    }
    if (results.some((r) => r.outcome === 'failed')) retryAt = now.getTime() + RETRY_AFTER_FAILURE_MS;
    else if (results.every((r) => r.outcome !== 'busy')) upToDate = latest;
    return results;
  }

  function tick(): void {
    if (stopped || inFlight) return;
    inFlight = runDue()
      .catch((err: unknown) => log.warn({ failure: describeReportFailure(err) }, 'report scheduler check failed'))
      .finally(() => {
        inFlight = null;
      });
  }

  return {
    runDue,
    start() {
      timers.push(setTimeout(tick, opts.firstTickMs ?? 2_000), setInterval(tick, opts.tickMs ?? 60_000));
      for (const t of timers) t.unref();
    },
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
    },
  };
}

export function startReportScheduler(opts: { db: Database; config: Config; log: Logger }): { stop(): void } {
  const scheduler = createReportScheduler(opts);
  scheduler.start();
  return { stop: () => scheduler.stop() };
}
