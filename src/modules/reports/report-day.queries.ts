// The sections about one clinic-local date: its injections, R1 exemptions used, no-shows and
// cancellations, plus completed injections whose outcome is overdue as of that date.
import { RULE_PARAMETERS } from '../injections/injection.rules.ts';
import { COUNTED, iso, jsonExempt, type Queryable } from './report-sql.ts';

export const EXEMPTION_WARNING_HOURS = 24;
export const OUTCOME_DUE_DAYS = 14;

export interface DayInjectionRow {
  injectionId: string;
  mrn: string;
  episodeId: string;
  status: 'scheduled' | 'completed' | 'cancelled' | 'no_show';
  scheduledAt: string;
  levels: string;
  approach: string;
  side: string;
  bookedByName: string | null;
  performedByName: string | null;
  performedAt: string | null;
}

export async function dayInjections(q: Queryable, date: string): Promise<DayInjectionRow[]> {
  const { rows } = await q.query<DayInjectionRow>(
    `SELECT i.id::text AS "injectionId", p.mrn, i."episodeId"::text AS "episodeId", i.status::text AS status,
            ${iso('i."scheduledAt"')} AS "scheduledAt", array_to_string(i.levels, ' ') AS levels, i.approach::text AS approach, i.side::text AS side,
            i."bookedByName", i."performedByName", ${iso('i."performedAt"')} AS "performedAt"
       FROM injections i JOIN patients p ON p.id = i."patientId"
      WHERE i."localDate" = $1::date
      ORDER BY i.status, i."scheduledAt", i.id`,
    [date],
  );
  return rows;
}

// The exemption that let a booking through is the latest change that made the episode exempt (it
// was created exempt, or an update turned it exempt) at or before the booking, read from the audit
// trail: the episode's exemptionRecorded* columns hold the LAST stamp, which a later edit of the signs
// moves past the booking. The columns are the fallback for episodes without such audit events.
// The booking instant is the injection's own 'injection.book' event (the same clock as the episode's
// events); createdAt when that event is missing.
export async function dayExemptions(q: Queryable, date: string) {
  const { rows } = await q.query(
    `WITH d AS (
       SELECT i.id, i."patientId", i."episodeId", i.status, i."localDate", i."createdAt", i."bookedByName", i."scheduledAt",
              e."conservativeCareStartedOn" AS started, e.severity AS ep_severity, e."neurologicalSigns" AS ep_signs,
              e."exemptionRecordedAt" AS ep_at, e."exemptionRecordedById" AS ep_by_id, e."exemptionRecordedByName" AS ep_by_name
         FROM injections i JOIN episodes e ON e.id = i."episodeId"
        WHERE i."localDate" = $1::date AND i.status IN ${COUNTED}
          AND i."localDate" < e."conservativeCareStartedOn" + $2::int
     ), r AS (
       SELECT d.*, ev.id AS ev_id, ev.after AS ev_after,
              coalesce(ev.at, d.ep_at) AS rec_at,
              CASE WHEN ev.id IS NOT NULL THEN ev."actorId"::text ELSE d.ep_by_id::text END AS rec_by_id,
              CASE WHEN ev.id IS NOT NULL THEN ev."actorName" ELSE d.ep_by_name END AS rec_by_name
         FROM d
         LEFT JOIN LATERAL (
           SELECT a.id, a.at, a."actorId", a."actorName", a.after
             FROM audit_events a
            WHERE a."entityId" = d."episodeId"::text AND a."entityType" = 'episode'
              AND a.action IN ('episode.create', 'episode.update')
              AND a.at <= coalesce((SELECT min(b.at) FROM audit_events b WHERE b."entityId" = d.id::text AND b.action = 'injection.book'), d."createdAt")
              AND ${jsonExempt('a.after')} AND (a.before IS NULL OR NOT ${jsonExempt('a.before')})
            ORDER BY a.at DESC, a.id DESC LIMIT 1) ev ON true
     )
     SELECT r.id::text AS "injectionId", p.mrn, r."episodeId"::text AS "episodeId", r.status::text AS status,
            r."localDate"::text AS "localDate", r.started::text AS "conservativeCareStartedOn",
            (r."localDate" - r.started) AS "dayOfTrial",
            CASE WHEN r.ev_id IS NOT NULL THEN r.ev_after->>'severity' ELSE r.ep_severity::text END AS severity,
            CASE WHEN r.ev_id IS NOT NULL AND jsonb_typeof(r.ev_after->'neurologicalSigns') = 'array'
                 THEN ARRAY(SELECT jsonb_array_elements_text(r.ev_after->'neurologicalSigns'))
                 ELSE coalesce(r.ep_signs::text[], '{}') END AS "neurologicalSigns",
            ${iso('r.rec_at')} AS "exemptionRecordedAt", r.rec_by_id AS "exemptionRecordedById", r.rec_by_name AS "exemptionRecordedByName",
            CASE WHEN r.ev_id IS NOT NULL THEN 'audit_trail' WHEN r.ep_at IS NOT NULL THEN 'episode' END AS "exemptionSource",
            ${iso('r."createdAt"')} AS "bookedAt", r."bookedByName",
            round((extract(epoch FROM r."createdAt" - r.rec_at) / 3600)::numeric, 2)::float8 AS "hoursFromExemptionToBooking",
            (r.rec_at IS NULL OR extract(epoch FROM r."createdAt" - r.rec_at) < $3::int * 3600) AS flagged,
            CASE WHEN r.rec_at IS NULL THEN 'NO_RECORD_OF_EXEMPTION'
                 WHEN extract(epoch FROM r."createdAt" - r.rec_at) < $3::int * 3600 THEN 'RECORDED_UNDER_24H_BEFORE_BOOKING' END AS "flagReason"
       FROM r JOIN patients p ON p.id = r."patientId"
      ORDER BY r."scheduledAt", r.id`,
    [date, RULE_PARAMETERS.conservativeTrialDays, EXEMPTION_WARNING_HOURS],
  );
  return rows as {
    injectionId: string;
    mrn: string;
    episodeId: string;
    status: DayInjectionRow['status'];
    localDate: string;
    conservativeCareStartedOn: string;
    dayOfTrial: number;
    severity: string | null;
    neurologicalSigns: string[];
    exemptionRecordedAt: string | null;
    exemptionRecordedById: string | null;
    exemptionRecordedByName: string | null;
    exemptionSource: 'audit_trail' | 'episode' | null;
    bookedAt: string;
    bookedByName: string | null;
    hoursFromExemptionToBooking: number | null;
    flagged: boolean;
    flagReason: 'RECORDED_UNDER_24H_BEFORE_BOOKING' | 'NO_RECORD_OF_EXEMPTION' | null;
  }[];
}

/** The day's cancellations and no-shows with the reason and who recorded them (from the audit trail). */
export async function dayAbsences(q: Queryable, date: string) {
  const { rows } = await q.query(
    `SELECT i.id::text AS "injectionId", p.mrn, i."episodeId"::text AS "episodeId", i.status::text AS status,
            ${iso('i."scheduledAt"')} AS "scheduledAt", i."cancelReason" AS reason,
            ${iso('ev.at')} AS "recordedAt", ev."actorName" AS "recordedByName"
       FROM injections i JOIN patients p ON p.id = i."patientId"
       LEFT JOIN LATERAL (
         SELECT a.at, a."actorName" FROM audit_events a
          WHERE a."entityId" = i.id::text
            AND a.action = CASE WHEN i.status = 'cancelled' THEN 'injection.cancel' ELSE 'injection.no_show' END
          ORDER BY a.id DESC LIMIT 1) ev ON true
      WHERE i."localDate" = $1::date AND i.status IN ('cancelled', 'no_show')
      ORDER BY i.status, i."scheduledAt", i.id`,
    [date],
  );
  return rows as {
    injectionId: string;
    mrn: string;
    episodeId: string;
    status: 'cancelled' | 'no_show';
    scheduledAt: string;
    reason: string | null;
    recordedAt: string | null;
    recordedByName: string | null;
  }[];
}

/** Completed injections dated OUTCOME_DUE_DAYS or more before the report date with no outcome yet. */
export async function missingOutcomes(q: Queryable, date: string) {
  const { rows } = await q.query(
    `SELECT i.id::text AS "injectionId", p.mrn, i."episodeId"::text AS "episodeId", i."localDate"::text AS "localDate",
            ${iso('i."performedAt"')} AS "performedAt", i."performedByName", ($1::date - i."localDate") AS "daysSinceGiven"
       FROM injections i JOIN patients p ON p.id = i."patientId"
      WHERE i.status = 'completed' AND i."assessedOn" IS NULL AND i."localDate" <= $1::date - $2::int
      ORDER BY i."localDate", p.mrn, i.id`,
    [date, OUTCOME_DUE_DAYS],
  );
  return rows as {
    injectionId: string;
    mrn: string;
    episodeId: string;
    localDate: string;
    performedAt: string | null;
    performedByName: string | null;
    daysSinceGiven: number;
  }[];
}
