// Tamper evidence for the audit trail (SPEC §8). Once a clinic-local day has ended, its audit events
// are digested in id order (SHA-256 over one canonical JSON text per row) and the digest is sealed:
// the seal hashes the day, its bounds, its row count, the digest and the previous day's seal, so the
// seals form a chain. Verification recomputes every digest and every link and names each day whose
// rows were changed, removed or inserted, and each seal that was altered or taken out of the chain.
// Sealing runs under a transaction-scoped advisory lock and the day is the table's key, so instances
// sealing at once neither race nor duplicate; days never sealed (older data) are caught up in order.
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
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

function dayBounds(day: string, zone: string): { startsAt: string; endsAt: string; end: number } {
  const start = DateTime.fromISO(day, { zone }).startOf('day');
  const end = start.plus({ days: 1 });
  return { startsAt: start.toUTC().toISO() ?? '', endsAt: end.toUTC().toISO() ?? '', end: end.toMillis() };
}

const nextDay = (day: string) => DateTime.fromISO(day, { zone: 'UTC' }).plus({ days: 1 }).toISODate() ?? '';

export interface SealResult {
  sealed: string[];
}

/**
 * Seals every ended day not sealed yet, oldest first: from the day after the last seal, or on a first
 * run from the day of the oldest audit event. A day counts as ended when its end is past both the
 * database's clock (which stamps the rows) and `now`.
 */
export async function sealAuditDays(pool: pg.Pool, zone: string, now: Date = new Date()): Promise<SealResult> {
  const client = await pool.connect();
  const sealed: string[] = [];
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SEAL_LOCK_ID]);
    const head = await client.query<{ day: string; seal: string; dbNow: Date }>(
      `SELECT day::text AS day, seal, now() AS "dbNow" FROM audit_seals ORDER BY day DESC LIMIT 1`,
    );
    let previous = head.rows[0] ?? null;
    let day: string | null;
    let dbNow: Date;
    if (previous) {
      day = nextDay(previous.day);
      dbNow = previous.dbNow;
    } else {
      const first = await client.query<{ day: string | null; dbNow: Date }>(
        `SELECT (min(at) AT TIME ZONE $1)::date::text AS day, now() AS "dbNow" FROM audit_events`,
        [zone],
      );
      day = first.rows[0]?.day ?? null;
      dbNow = first.rows[0]?.dbNow ?? new Date();
    }
    const limit = Math.min(dbNow.getTime(), now.getTime());
    while (day && sealed.length < MAX_DAYS_PER_RUN) {
      const bounds = dayBounds(day, zone);
      if (bounds.end > limit) break;
      const { rows } = await client.query<{ n: number; first: string | null; last: string | null; digest: string }>(
        `SELECT count(*)::int AS n, min(a.id)::text AS first, max(a.id)::text AS last, ${DIGEST} AS digest
           FROM audit_events a WHERE a.at >= $1::timestamptz AND a.at < $2::timestamptz`,
        [bounds.startsAt, bounds.endsAt],
      );
      const r = rows[0]!;
      const fields: SealFields = {
        day,
        timeZone: zone,
        startsAt: bounds.startsAt,
        endsAt: bounds.endsAt,
        rowCount: r.n,
        digest: r.digest,
        previousSeal: previous?.seal ?? null,
      };
      const seal = sealOf(fields);
      const inserted = await client.query(
        `INSERT INTO audit_seals (day, "timeZone", "startsAt", "endsAt", "rowCount", "firstId", "lastId", digest, "previousSeal", seal)
         VALUES ($1::date, $2, $3::timestamptz, $4::timestamptz, $5, $6::bigint, $7::bigint, $8, $9, $10)
         ON CONFLICT (day) DO NOTHING`,
        [day, zone, bounds.startsAt, bounds.endsAt, r.n, r.first, r.last, r.digest, fields.previousSeal, seal],
      );
      if (inserted.rowCount) sealed.push(day);
      previous = { day, seal, dbNow };
      day = nextDay(day);
    }
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
export async function verifyAuditSeals(q: Queryable): Promise<SealVerification> {
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
  const last = rows.at(-1);
  return {
    sealedDays: rows.length,
    firstDay: rows[0]?.day ?? null,
    lastDay: last?.day ?? null,
    lastSeal: last?.seal ?? null,
    problems,
  };
}
