// Integrity checks over ALL data. Each must come back empty: the service and the database's own
// constraints should make every one of them impossible, so a hit means rows changed behind the
// service's back (raw SQL, a disabled constraint, a restore gone wrong). Each lists at most `limit`
// items and the full count.
import { RULE_PARAMETERS } from '../injections/injection.rules.ts';
import { COUNTED, jsonExempt, rowExempt, withTotal, type Queryable } from './report-sql.ts';

type Status = 'scheduled' | 'completed' | 'cancelled' | 'no_show';

/** Every pair of counted injections of one patient under minIntervalDays apart. A window pass finds
 * the patients with any such gap cheaply; only their injections are paired up. */
export async function r2IntervalPairs(q: Queryable, limit: number) {
  const { rows } = await q.query(
    `WITH bad AS (
       SELECT DISTINCT "patientId" FROM (
         SELECT "patientId", "localDate" - lag("localDate") OVER (PARTITION BY "patientId" ORDER BY "localDate") AS gap
           FROM injections WHERE status IN ${COUNTED}) g
        WHERE gap < $1::int)
     SELECT p.mrn, a.id::text AS "firstInjectionId", a."localDate"::text AS "firstDate", a.status::text AS "firstStatus",
            b.id::text AS "secondInjectionId", b."localDate"::text AS "secondDate", b.status::text AS "secondStatus",
            (b."localDate" - a."localDate") AS "daysApart", count(*) OVER ()::int AS total
       FROM bad
       JOIN injections a ON a."patientId" = bad."patientId" AND a.status IN ${COUNTED}
       JOIN injections b ON b."patientId" = a."patientId" AND b.status IN ${COUNTED} AND b.id <> a.id
            AND (b."localDate", b.id::text) > (a."localDate", a.id::text) AND b."localDate" - a."localDate" < $1::int
       JOIN patients p ON p.id = a."patientId"
      ORDER BY p.mrn, a."localDate", b."localDate", a.id, b.id
      LIMIT $2`,
    [RULE_PARAMETERS.minIntervalDays, limit],
  );
  return withTotal(rows as { mrn: string; firstInjectionId: string; firstDate: string; firstStatus: Status; secondInjectionId: string; secondDate: string; secondStatus: Status; daysApart: number; total: number }[]);
}

// An injection dated before day 42 needs the exemption to have been on its episode when it was booked
// (or last rescheduled). Cheap test first: the episode is exempt now and its last exemption stamp is
// no later than the booking, so it was exempt throughout. Only the rest consult the audit trail: the
// episode's state in the latest episode event at or before the injection's last book/reschedule event.
export async function r1WithoutExemption(q: Queryable, limit: number) {
  const { rows } = await q.query(
    `SELECT i.id::text AS "injectionId", p.mrn, e.id::text AS "episodeId", i.status::text AS status,
            i."localDate"::text AS "localDate", e."conservativeCareStartedOn"::text AS "conservativeCareStartedOn",
            (i."localDate" - e."conservativeCareStartedOn") AS "dayOfTrial", count(*) OVER ()::int AS total
       FROM injections i
       JOIN episodes e ON e.id = i."episodeId"
       JOIN patients p ON p.id = i."patientId"
      WHERE i."localDate" < e."conservativeCareStartedOn" + $1::int
        AND NOT coalesce(${rowExempt('e')} AND e."exemptionRecordedAt" <= i."createdAt", false)
        AND NOT coalesce((
          SELECT ${jsonExempt('a.after')} FROM audit_events a
           WHERE a."entityId" = e.id::text AND a."entityType" = 'episode' AND a.after IS NOT NULL
             AND a.at <= coalesce((SELECT max(b.at) FROM audit_events b
                                    WHERE b."entityId" = i.id::text AND b.action IN ('injection.book', 'injection.reschedule')), i."createdAt")
           ORDER BY a.at DESC, a.id DESC LIMIT 1), false)
      ORDER BY p.mrn, i."localDate", i.id
      LIMIT $2`,
    [RULE_PARAMETERS.conservativeTrialDays, limit],
  );
  return withTotal(rows as { injectionId: string; mrn: string; episodeId: string; status: Status; localDate: string; conservativeCareStartedOn: string; dayOfTrial: number; total: number }[]);
}

// On a closed episode nothing may still be scheduled (closing cancels future bookings; one left
// scheduled is an appointment nobody resolved), and nothing completed may be dated after the day the
// episode was closed (clinic-local date of closedAt).
export async function closedEpisodeInjections(q: Queryable, zone: string, limit: number) {
  const { rows } = await q.query(
    `SELECT i.id::text AS "injectionId", p.mrn, e.id::text AS "episodeId", i.status::text AS status, i."localDate"::text AS "localDate",
            ((e."closedAt" AT TIME ZONE $1)::date)::text AS "episodeClosedOn",
            CASE WHEN i.status = 'scheduled' THEN 'SCHEDULED_ON_CLOSED_EPISODE' ELSE 'DATED_AFTER_EPISODE_CLOSED' END AS problem,
            count(*) OVER ()::int AS total
       FROM episodes e
       JOIN injections i ON i."episodeId" = e.id
       JOIN patients p ON p.id = i."patientId"
      WHERE e.status = 'closed'
        AND (i.status = 'scheduled' OR (i.status = 'completed' AND i."localDate" > (e."closedAt" AT TIME ZONE $1)::date))
      ORDER BY p.mrn, i."localDate", i.id
      LIMIT $2`,
    [zone, limit],
  );
  return withTotal(rows as { injectionId: string; mrn: string; episodeId: string; status: Status; localDate: string; episodeClosedOn: string | null; problem: 'SCHEDULED_ON_CLOSED_EPISODE' | 'DATED_AFTER_EPISODE_CLOSED'; total: number }[]);
}

// Changes without their audit row. Each row's state implies events that must exist: every patient a
// 'patient.create'; every episode an 'episode.create', a closed one also 'episode.close'; every
// injection an 'injection.book', plus the event of the status it reached and 'injection.outcome' once
// an outcome is recorded. Events seen per entity are folded into a bit mask in one pass.
export async function auditGaps(q: Queryable, limit: number) {
  const { rows } = await q.query(
    `WITH inj_seen AS (
       SELECT "entityId", bit_or(CASE action WHEN 'injection.book' THEN 1 WHEN 'injection.complete' THEN 2 WHEN 'injection.cancel' THEN 4
                                             WHEN 'injection.no_show' THEN 8 ELSE 16 END) AS seen
         FROM audit_events
        WHERE "entityType" = 'injection' AND action IN ('injection.book', 'injection.complete', 'injection.cancel', 'injection.no_show', 'injection.outcome')
        GROUP BY "entityId"
     ), inj AS (
       SELECT 'injection' AS "entityType", i.id::text AS "entityId", i."patientId",
              (1 | CASE i.status WHEN 'completed' THEN 2 WHEN 'cancelled' THEN 4 WHEN 'no_show' THEN 8 ELSE 0 END
                 | CASE WHEN i."assessedOn" IS NOT NULL THEN 16 ELSE 0 END) & ~coalesce(s.seen, 0) AS missing
         FROM injections i LEFT JOIN inj_seen s ON s."entityId" = i.id::text
     ), ep_seen AS (
       SELECT "entityId", bit_or(CASE action WHEN 'episode.create' THEN 1 ELSE 2 END) AS seen
         FROM audit_events WHERE "entityType" = 'episode' AND action IN ('episode.create', 'episode.close')
        GROUP BY "entityId"
     ), ep AS (
       SELECT 'episode' AS "entityType", e.id::text AS "entityId", e."patientId",
              (1 | CASE WHEN e.status = 'closed' THEN 2 ELSE 0 END) & ~coalesce(s.seen, 0) AS missing
         FROM episodes e LEFT JOIN ep_seen s ON s."entityId" = e.id::text
     ), pat AS (
       SELECT 'patient' AS "entityType", p.id::text AS "entityId", p.id AS "patientId", 1 AS missing
         FROM patients p
        WHERE NOT EXISTS (SELECT 1 FROM audit_events a WHERE a."entityId" = p.id::text AND a.action = 'patient.create')
     ), gaps AS (
       SELECT * FROM inj WHERE missing <> 0
       UNION ALL SELECT * FROM ep WHERE missing <> 0
       UNION ALL SELECT * FROM pat
     )
     SELECT g."entityType", g."entityId", p.mrn, m.action AS "missingAction", count(*) OVER ()::int AS total
       FROM gaps g
       JOIN (VALUES ('injection', 1, 'injection.book'), ('injection', 2, 'injection.complete'), ('injection', 4, 'injection.cancel'),
                    ('injection', 8, 'injection.no_show'), ('injection', 16, 'injection.outcome'),
                    ('episode', 1, 'episode.create'), ('episode', 2, 'episode.close'), ('patient', 1, 'patient.create'))
            AS m(entity, bit, action) ON m.entity = g."entityType" AND g.missing & m.bit <> 0
       LEFT JOIN patients p ON p.id = g."patientId"
      ORDER BY g."entityType", p.mrn, g."entityId", m.bit
      LIMIT $1`,
    [limit],
  );
  return withTotal(rows as { entityType: 'patient' | 'episode' | 'injection'; entityId: string; mrn: string | null; missingAction: string; total: number }[]);
}
