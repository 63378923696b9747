// report_runs: one row per production of a report (CLI or scheduler), with status, totals and the
// content hash that tells whether a re-run of a date came out different from the previous one.
import type { Queryable } from './report-sql.ts';
import { iso } from './report-sql.ts';
import type { ReportRunDtoT, ReportTotalsT } from './report.schemas.ts';

export type RunTrigger = 'scheduled' | 'cli';

const RUN_COLUMNS = `id::text AS id, "reportDate"::text AS "reportDate", trigger, status, ${iso('"startedAt"')} AS "startedAt",
  ${iso('"finishedAt"')} AS "finishedAt", totals, "resultHash", "differsFromPrevious", error, version`;

export async function insertRun(q: Queryable, date: string, trigger: RunTrigger, version: string): Promise<string> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO report_runs (id, "reportDate", trigger, status, version) VALUES (gen_random_uuid(), $1::date, $2, 'running', $3) RETURNING id::text AS id`,
    [date, trigger, version],
  );
  return rows[0]!.id;
}

/** Marks the run succeeded and compares its hash with the latest earlier successful run of the date. */
export async function finishRun(q: Queryable, id: string, totals: ReportTotalsT, hash: string): Promise<ReportRunDtoT> {
  const { rows } = await q.query<ReportRunDtoT>(
    `UPDATE report_runs r SET status = 'succeeded', "finishedAt" = now(), totals = $2::jsonb, "resultHash" = $3,
            "differsFromPrevious" = (SELECT p."resultHash" IS DISTINCT FROM $3 FROM report_runs p
                                      WHERE p."reportDate" = r."reportDate" AND p.status = 'succeeded' AND p.id <> r.id
                                      ORDER BY p."finishedAt" DESC, p."startedAt" DESC LIMIT 1)
      WHERE r.id = $1::uuid
      RETURNING ${RUN_COLUMNS}`,
    [id, JSON.stringify(totals), hash],
  );
  return rows[0]!;
}

export async function failRun(q: Queryable, id: string, error: string): Promise<void> {
  await q.query(`UPDATE report_runs SET status = 'failed', "finishedAt" = now(), error = $2 WHERE id = $1::uuid`, [
    id,
    error.slice(0, 2000),
  ]);
}

/** Newest first; the cursor is the last row's (startedAt, id). */
export async function listRuns(
  q: Queryable,
  opts: { date?: string | undefined; limit: number; after?: { startedAt: string; id: string } | undefined },
): Promise<ReportRunDtoT[]> {
  const { rows } = await q.query<ReportRunDtoT>(
    `SELECT ${RUN_COLUMNS} FROM report_runs
      WHERE ($1::date IS NULL OR "reportDate" = $1::date)
        AND ($2::timestamptz IS NULL OR ("startedAt", id) < ($2::timestamptz, $3::uuid))
      ORDER BY "startedAt" DESC, id DESC
      LIMIT $4`,
    [opts.date ?? null, opts.after?.startedAt ?? null, opts.after?.id ?? null, opts.limit],
  );
  return rows;
}

export async function scheduledRunSucceeded(q: Queryable, date: string): Promise<boolean> {
  const { rowCount } = await q.query(
    `SELECT 1 FROM report_runs WHERE "reportDate" = $1::date AND trigger = 'scheduled' AND status = 'succeeded'`,
    [date],
  );
  return (rowCount ?? 0) > 0;
}

/** Dates in [from, to] that already have a successful scheduled run. */
export async function scheduledDatesDone(q: Queryable, from: string, to: string): Promise<Set<string>> {
  const { rows } = await q.query<{ d: string }>(
    `SELECT DISTINCT "reportDate"::text AS d FROM report_runs
      WHERE trigger = 'scheduled' AND status = 'succeeded' AND "reportDate" BETWEEN $1::date AND $2::date`,
    [from, to],
  );
  return new Set(rows.map((r) => r.d));
}

/** A scheduled run left 'running' by an instance that died; called only while holding the date's lock. */
export async function abandonStaleScheduledRuns(q: Queryable, date: string): Promise<void> {
  await q.query(
    `UPDATE report_runs SET status = 'failed', "finishedAt" = now(), error = 'abandoned: the instance producing it stopped'
      WHERE "reportDate" = $1::date AND trigger = 'scheduled' AND status = 'running'`,
    [date],
  );
}

/** The first date the scheduler ever produced successfully; null on a new installation. */
export async function firstScheduledDate(q: Queryable): Promise<string | null> {
  const { rows } = await q.query<{ d: string | null }>(
    `SELECT min("reportDate")::text AS d FROM report_runs WHERE trigger = 'scheduled' AND status = 'succeeded'`,
  );
  return rows[0]?.d ?? null;
}
