// Tamper evidence for the audit trail (SPEC §8). Once a clinic-local day has ended, its audit events
// are digested in id order (SHA-256 over one canonical JSON text per row) and the digest is sealed:
// the seal hashes the day, its bounds, its row count, the digest and the previous day's seal, so the
// seals form a chain. Verification recomputes every digest and every link and names each day whose
// rows were changed, removed or inserted, and each seal that was altered or taken out of the chain.
// Sealing runs under a transaction-scoped advisory lock and the day is the table's key, so instances
// sealing at once neither race nor duplicate; days never sealed (older data) are caught up in order.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { iso, type Queryable } from '../reports/report-sql.ts';

/** Serialises sealing across instances (any constant unused by the other advisory locks). */
export const SEAL_LOCK_ID = 7_213_003;
/** Days sealed by one run at most (ten years): a catch-up over more continues with the next run. */
const MAX_DAYS_PER_RUN = 3_660;

/**
 * One row as canonical text: jsonb orders keys itself; `at` is written as UTC ISO text so the session's
 * TimeZone cannot change it; nulls are dropped so a nullable column added later leaves old digests as
 * they were. (A later column with a non-null default would change every digest: give it none.)
 */
const ROW_TEXT = `jsonb_strip_nulls(to_jsonb(a) || jsonb_build_object('at', ${iso('a.at')}))::text`;
const DIGEST = `encode(sha256(convert_to(coalesce(string_agg(${ROW_TEXT}, E'\\n' ORDER BY a.id), ''), 'UTF8')), 'hex')`;

export interface SealFields {
  day: string;
  timeZone: string;
  startsAt: string;
  endsAt: string;
  rowCount: number;
  digest: string;
  previousSeal: string | null;
}

export function sealOf(f: SealFields): string {
  return createHash('sha256')
    .update([f.previousSeal ?? '', f.day, f.timeZone, f.startsAt, f.endsAt, String(f.rowCount), f.digest].join('\n'))
    .digest('hex');
}

export interface SealResult {
  sealed: string[];
}

/**
 * Seals every ended day not sealed yet, oldest first: from the day after the last seal, or on a first
 * run from the day of the oldest audit event. A day counts as ended when its end is past both the
 * database's clock (which stamps the rows) and `now`. The days' bounds (clinic-local midnights, DST
 * included) and digests come from one query; the chain is then hashed in order.
 */
export async function sealAuditDays(pool: pg.Pool, zone: string, now: Date = new Date()): Promise<SealResult> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SEAL_LOCK_ID]);
    const head = await client.query<{ day: string; seal: string }>(
      `SELECT day::text AS day, seal FROM audit_seals ORDER BY day DESC LIMIT 1`,
    );
    const last = head.rows[0];
    const { rows } = await client.query<{
      day: string;
      startsAt: string;
      endsAt: string;
      n: number;
      first: string | null;
      lastId: string | null;
      digest: string;
    }>(
      `WITH bounds AS (
         SELECT coalesce($2::date + 1, (SELECT (min(at) AT TIME ZONE $1)::date FROM audit_events)) AS first,
                least(now(), $3::timestamptz) AS horizon
       ), days AS (
         SELECT d::date AS day, (d::timestamp AT TIME ZONE $1) AS starts, ((d::date + 1)::timestamp AT TIME ZONE $1) AS ends
           FROM bounds, generate_series(bounds.first, (bounds.horizon AT TIME ZONE $1)::date, interval '1 day') AS d
          WHERE bounds.first IS NOT NULL
       ), ended AS (
         SELECT days.* FROM days, bounds WHERE days.ends <= bounds.horizon ORDER BY days.day LIMIT $4
       )
       SELECT e.day::text AS day, ${iso('e.starts')} AS "startsAt", ${iso('e.ends')} AS "endsAt",
              count(a.id)::int AS n, min(a.id)::text AS first, max(a.id)::text AS "lastId", ${DIGEST} AS digest
         FROM ended e LEFT JOIN audit_events a ON a.at >= e.starts AND a.at < e.ends
        GROUP BY e.day, e.starts, e.ends
        ORDER BY e.day`,
      [zone, last?.day ?? null, now.toISOString(), MAX_DAYS_PER_RUN],
    );
    let previousSeal = last?.seal ?? null;
    const chain: { r: (typeof rows)[number]; previousSeal: string | null; seal: string }[] = [];
    for (const r of rows) {
      const fields: SealFields = {
        day: r.day,
        timeZone: zone,
        startsAt: r.startsAt,
        endsAt: r.endsAt,
        rowCount: r.n,
        digest: r.digest,
        previousSeal,
      };
      const seal = sealOf(fields);
      chain.push({ r, previousSeal, seal });
      previousSeal = seal;
    }
    if (chain.length) {
      const col = <T>(f: (c: (typeof chain)[number]) => T) => chain.map(f);
      await client.query(
        `INSERT INTO audit_seals (day, "timeZone", "startsAt", "endsAt", "rowCount", "firstId", "lastId", digest, "previousSeal", seal)
         SELECT d, $2, s, e, n, f, l, g, p, x
           FROM unnest($1::date[], $3::timestamptz[], $4::timestamptz[], $5::int[], $6::bigint[], $7::bigint[], $8::text[], $9::text[], $10::text[])
             AS t(d, s, e, n, f, l, g, p, x)`,
        [
          col((c) => c.r.day),
          zone,
          col((c) => c.r.startsAt),
          col((c) => c.r.endsAt),
          col((c) => c.r.n),
          col((c) => c.r.first),
          col((c) => c.r.lastId),
          col((c) => c.r.digest),
          col((c) => c.previousSeal),
          col((c) => c.seal),
        ],
      );
    }
    const sealed = chain.map((c) => c.r.day);
    await client.query('COMMIT');
    return { sealed };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export type SealProblemKind = 'ROWS_CHANGED' | 'ROWS_REMOVED' | 'ROWS_INSERTED' | 'SEAL_ALTERED' | 'CHAIN_BROKEN';

export interface SealProblem {
  day: string;
  problem: SealProblemKind;
  sealedRowCount: number;
  rowCount: number;
}

export interface SealVerification {
  sealedDays: number;
  firstDay: string | null;
  lastDay: string | null;
  /** The newest seal: kept outside the database (the nightly report files carry it), it pins the chain. */
  lastSeal: string | null;
  problems: SealProblem[];
}

/** Recomputes every seal and its link to the previous one. Read-only; one pass over the sealed days. */
/**
 * `asOf` (a date) limits the summary (sealed days, range, newest seal) to the days up to it, so a report
 * of that date says the same whenever it is re-run; problems are always looked for in every seal.
 */
export async function verifyAuditSeals(q: Queryable, asOf?: string): Promise<SealVerification> {
  const { rows } = await q.query<SealFields & { seal: string; n: number; actual: string }>(
    `SELECT s.day::text AS day, s."timeZone", ${iso('s."startsAt"')} AS "startsAt", ${iso('s."endsAt"')} AS "endsAt",
            s."rowCount", s.digest, s."previousSeal", s.seal, d.n, d.actual
       FROM audit_seals s
       CROSS JOIN LATERAL (SELECT count(*)::int AS n, ${DIGEST} AS actual
                             FROM audit_events a WHERE a.at >= s."startsAt" AND a.at < s."endsAt") d
      ORDER BY s.day`,
  );
  const problems: SealProblem[] = [];
  let previous: string | null = null;
  for (const s of rows) {
    const add = (problem: SealProblemKind) => problems.push({ day: s.day, problem, sealedRowCount: s.rowCount, rowCount: s.n });
    if (s.previousSeal !== previous) add('CHAIN_BROKEN');
    if (sealOf(s) !== s.seal) add('SEAL_ALTERED');
    if (s.n < s.rowCount) add('ROWS_REMOVED');
    else if (s.n > s.rowCount) add('ROWS_INSERTED');
    else if (s.actual !== s.digest) add('ROWS_CHANGED');
    previous = s.seal;
  }
  const summarised = asOf === undefined ? rows : rows.filter((r) => r.day <= asOf);
  const last = summarised.at(-1);
  return {
    sealedDays: summarised.length,
    firstDay: summarised[0]?.day ?? null,
    lastDay: last?.day ?? null,
    lastSeal: last?.seal ?? null,
    problems,
  };
}
