// Integrity checks over ALL data. Each must come back empty: the service and the database's own
// constraints should make every one of them impossible, so a hit means rows changed behind the
// service's back (raw SQL, a disabled constraint, a restore gone wrong). Each lists at most `limit`
// items and the full count.
import { RULE_PARAMETERS } from '../injections/injection.rules.ts';
import { COUNTED, jsonExempt, rowExempt, rowRedFlagBlocked, withTotal, type Queryable } from './report-sql.ts';

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
  return withTotal(
    rows as {
      mrn: string;
      firstInjectionId: string;
      firstDate: string;
      firstStatus: Status;
      secondInjectionId: string;
      secondDate: string;
      secondStatus: Status;
      daysApart: number;
      total: number;
    }[],
  );
}

// A counted injection dated before day 42 needs the exemption to have been on its episode when it was
// booked (or last rescheduled), and none may precede the start of conservative care at all. Cheap test first: the episode is exempt now and its last exemption stamp is
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
      WHERE i.status IN ${COUNTED} AND i."localDate" < e."conservativeCareStartedOn" + $1::int
        AND (i."localDate" < e."conservativeCareStartedOn" OR NOT coalesce(${rowExempt('e')} AND e."exemptionRecordedAt" <= i."createdAt", false)
        AND NOT coalesce((
          SELECT ${jsonExempt('a.after')} FROM audit_events a
           WHERE a."entityId" = e.id::text AND a."entityType" = 'episode' AND a.after IS NOT NULL
             AND a.at <= coalesce((SELECT max(b.at) FROM audit_events b
                                    WHERE b."entityId" = i.id::text AND b.action IN ('injection.book', 'injection.reschedule')), i."createdAt")
           ORDER BY a.at DESC, a.id DESC LIMIT 1), false))
      ORDER BY p.mrn, i."localDate", i.id
      LIMIT $2`,
    [RULE_PARAMETERS.conservativeTrialDays, limit],
  );
  return withTotal(
    rows as {
      injectionId: string;
      mrn: string;
      episodeId: string;
      status: Status;
      localDate: string;
      conservativeCareStartedOn: string;
      dayOfTrial: number;
      total: number;
    }[],
  );
}

// Scheduled injections judged against their episode as it is now (SPEC "Withdrawn exemptions"): an
// edit that withdrew the R1 exemption or added a red flag no clearance covers leaves them ineligible.
// The edit succeeds and names them; this check keeps naming them until they are moved or cancelled.
export async function scheduledNowIneligible(q: Queryable, limit: number) {
  const { rows } = await q.query(
    `SELECT i.id::text AS "injectionId", p.mrn, e.id::text AS "episodeId", i."localDate"::text AS "localDate",
            CASE WHEN ${rowRedFlagBlocked('e')} THEN 'R4_RED_FLAG' ELSE 'R1_EXEMPTION_WITHDRAWN' END AS problem,
            count(*) OVER ()::int AS total
       FROM injections i
       JOIN episodes e ON e.id = i."episodeId" AND e.status = 'open'
       JOIN patients p ON p.id = i."patientId"
      WHERE i.status = 'scheduled'
        AND (${rowRedFlagBlocked('e')}
             OR i."localDate" < e."conservativeCareStartedOn"
             OR (i."localDate" < e."conservativeCareStartedOn" + $1::int AND NOT ${rowExempt('e')}))
      ORDER BY p.mrn, i."localDate", i.id
      LIMIT $2`,
    [RULE_PARAMETERS.conservativeTrialDays, limit],
  );
  return withTotal(
    rows as {
      injectionId: string;
      mrn: string;
      episodeId: string;
      localDate: string;
      problem: 'R4_RED_FLAG' | 'R1_EXEMPTION_WITHDRAWN';
      total: number;
    }[],
  );
}

// On a closed episode nothing may still be scheduled (closing cancels future bookings; one left
// scheduled is an appointment nobody resolved), and nothing completed may be dated after the day the
// episode was closed (clinic-local date of closedAt).
export async function closedEpisodeInjections(q: Queryable, zone: string, limit: number) {
  // Hits are found first (hash join, the close date computed once per episode), then named and sorted:
  // ordering the whole join by MRN lured the planner into a nested loop over every injection.
  const { rows } = await q.query(
    `WITH closed AS MATERIALIZED (
       SELECT id, ("closedAt" AT TIME ZONE $1)::date AS closed_on FROM episodes WHERE status = 'closed'
     ), hits AS MATERIALIZED (
       SELECT i.id, i."patientId", i."episodeId", i.status, i."localDate", c.closed_on
         FROM closed c JOIN injections i ON i."episodeId" = c.id
        WHERE i.status = 'scheduled' OR (i.status = 'completed' AND i."localDate" > c.closed_on)
     )
     SELECT h.id::text AS "injectionId", p.mrn, h."episodeId"::text AS "episodeId", h.status::text AS status, h."localDate"::text AS "localDate",
            h.closed_on::text AS "episodeClosedOn",
            CASE WHEN h.status = 'scheduled' THEN 'SCHEDULED_ON_CLOSED_EPISODE' ELSE 'DATED_AFTER_EPISODE_CLOSED' END AS problem,
            count(*) OVER ()::int AS total
       FROM hits h JOIN patients p ON p.id = h."patientId"
      ORDER BY p.mrn, h."localDate", h.id
      LIMIT $2`,
    [zone, limit],
  );
  return withTotal(
    rows as {
      injectionId: string;
      mrn: string;
      episodeId: string;
      status: Status;
      localDate: string;
      episodeClosedOn: string | null;
      problem: 'SCHEDULED_ON_CLOSED_EPISODE' | 'DATED_AFTER_EPISODE_CLOSED';
      total: number;
    }[],
  );
}

// Changes without their audit row. Each row's state implies events that must exist: every patient a
// 'patient.create'; every episode an 'episode.create', a closed one also 'episode.close'; every
// injection an 'injection.book', plus the event of the status it reached and 'injection.outcome' once
// an outcome is recorded. Each required event is one anti-join over the (action, entityId) index,
// counted on its own first: a plain count runs as a parallel hash anti-join, and on a healthy clinic
// every count is zero, so the listing query (one pass more) runs only when something is missing.
const REQUIRED_EVENTS: [entity: string, action: string, from: string, where: string][] = [
  ['injection', 'injection.book', 'injections', 'true'],
  ['injection', 'injection.complete', 'injections', `t.status = 'completed'`],
  ['injection', 'injection.cancel', 'injections', `t.status = 'cancelled'`],
  ['injection', 'injection.no_show', 'injections', `t.status = 'no_show'`],
  ['injection', 'injection.outcome', 'injections', `t."assessedOn" IS NOT NULL`],
  ['episode', 'episode.create', 'episodes', 'true'],
  ['episode', 'episode.close', 'episodes', `t.status = 'closed'`],
  ['patient', 'patient.create', 'patients', 'true'],
];

const missing = ([, action, from, where]: (typeof REQUIRED_EVENTS)[number]) =>
  `FROM ${from} t WHERE ${where} AND NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.action = '${action}' AND a."entityId" = t.id::text)`;

type GapItem = { entityType: 'patient' | 'episode' | 'injection'; entityId: string; mrn: string | null; missingAction: string };

// The listing is ordered by entity type first, so it is built one entity type at a time, in that
// order, and stops once the limit is reached: the types after it are never listed. Listing every gap
// at once materialised all of them (1.8 million rows on the 1M-injection data set, where the seed
// writes no completion, cancellation, outcome or close events), joined each to its patient and sorted
// them all by MRN for the first 10,000: 10–12 s. The closed episodes alone fill the limit there.
export async function auditGaps(q: Queryable, limit: number) {
  const counts: number[] = [];
  for (const required of REQUIRED_EVENTS) {
    counts.push((await q.query<{ n: number }>(`SELECT count(*)::int AS n ${missing(required)}`)).rows[0]?.n ?? 0);
  }
  const count = counts.reduce((a, b) => a + b, 0);
  const items: GapItem[] = [];
  const entityTypes = [...new Set(REQUIRED_EVENTS.map(([entity]) => entity))].sort();
  for (const entityType of entityTypes) {
    if (items.length >= limit) break;
    const parts = REQUIRED_EVENTS.flatMap((required, k) => {
      const [entity, action, from] = required;
      return entity === entityType && counts[k]
        ? [
            `SELECT t.id::text AS "entityId", ${from === 'patients' ? 't.id' : 't."patientId"'} AS "patientId", '${action}' AS action, ${k} AS ord ${missing(required)}`,
          ]
        : [];
    });
    if (parts.length === 0) continue;
    const { rows } = await q.query<GapItem>(
      `WITH gaps AS MATERIALIZED (${parts.join('\n UNION ALL ')})
       SELECT $1::text AS "entityType", g."entityId", p.mrn, g.action AS "missingAction"
         FROM gaps g LEFT JOIN patients p ON p.id = g."patientId"
        ORDER BY p.mrn, g."entityId", g.ord
        LIMIT $2`,
      [entityType, limit - items.length],
    );
    items.push(...rows);
  }
  return { count, items };
}
