// Patients carrying each clinical flag, as of the report date, in SQL over the whole clinic. The
// definitions are those of flags.rules.ts (see its header) and a test checks both agree:
// - URGENT_SURGICAL_REVIEW: the open episode records weakness or a red flag (bowel/bladder change,
//   saddle anaesthesia), or SURGICAL_REVIEW holds on a severe episode.
// - SURGICAL_REVIEW: the open episode's two most recent completed injections with a counting outcome
//   (improvement derived, assessed ≥ 7 days after the injection) both improved under
//   meaningfulImprovementPercent.
// - ANNUAL_LIMIT: per region, across all episodes, `annualLimit` counted injections spanning at most
//   annualWindowDays − 1 days lie within annualWindowDays − 1 days of the report date.
// - ADDITIONAL_INJECTION_CONSULT: the open episode has two or more counted injections.
// SECOND_INJECTION_SUGGESTED is advice for the next visit, not an audit matter; it is not reported.
import { FLAG_PARAMETERS } from '../injections/flags.rules.ts';
import { OUTCOME_PARAMETERS } from '../injections/injection.rules.ts';
import { COUNTED, type Queryable } from './report-sql.ts';
import type { ReportFlag } from './report.schemas.ts';

export async function flaggedPatients(q: Queryable, date: string) {
  const { rows } = await q.query(
    `WITH open_ep AS (
       SELECT e.id, e."patientId", e."neurologicalSigns", e.severity FROM episodes e WHERE e.status = 'open'
     ), urgent_signs AS (
       SELECT 'URGENT_SURGICAL_REVIEW' AS flag, o."patientId", o.id AS episode_id,
              'records ' || array_to_string(ARRAY(SELECT s::text FROM unnest(o."neurologicalSigns") s
                                                   WHERE s IN ('weakness', 'bowel_bladder', 'saddle_anesthesia') ORDER BY s), ' and ') AS detail
         FROM open_ep o
        WHERE o."neurologicalSigns" && ARRAY['weakness', 'bowel_bladder', 'saddle_anesthesia']::"NeurologicalSign"[]
     ), assessed AS (
       SELECT i."patientId", i."episodeId", i."localDate", i."percentImprovement",
              row_number() OVER (PARTITION BY i."episodeId" ORDER BY i."localDate" DESC, i.id DESC) AS rn
         FROM open_ep o JOIN injections i ON i."episodeId" = o.id
        WHERE i.status = 'completed' AND i."percentImprovement" IS NOT NULL AND i."assessedOn" - i."localDate" >= $5::int
     ), surgical AS (
       SELECT 'SURGICAL_REVIEW' AS flag, a."patientId", a."episodeId" AS episode_id,
              string_agg(a."localDate"::text || ': ' || a."percentImprovement" || '%', ', ' ORDER BY a."localDate") AS detail
         FROM assessed a WHERE a.rn <= 2
        GROUP BY a."patientId", a."episodeId"
       HAVING count(*) = 2 AND max(a."percentImprovement") < $2::int
     ), urgent AS (
       SELECT * FROM urgent_signs
       UNION ALL
       SELECT 'URGENT_SURGICAL_REVIEW', s."patientId", s.episode_id, 'severe, and ' || s.detail
         FROM surgical s JOIN open_ep o ON o.id = s.episode_id
        WHERE o.severity = 'severe' AND NOT EXISTS (SELECT 1 FROM urgent_signs u WHERE u.episode_id = s.episode_id)
     ), windows AS (
       SELECT i."patientId", e.region, i."localDate" AS first,
              lead(i."localDate", $3::int - 1) OVER (PARTITION BY i."patientId", e.region ORDER BY i."localDate") AS last
         FROM injections i JOIN episodes e ON e.id = i."episodeId"
        WHERE i.status IN ${COUNTED} AND i."localDate" BETWEEN $1::date - ($4::int - 1) AND $1::date + ($4::int - 1)
     ), annual AS (
       SELECT 'ANNUAL_LIMIT' AS flag, w."patientId", NULL::uuid AS episode_id,
              string_agg(w.region::text || ' (' || w.first::text || ' to ' || w.last::text || ')', ' and ' ORDER BY w.region) AS detail
         FROM (SELECT DISTINCT ON ("patientId", region) "patientId", region, first, last
                 FROM windows WHERE last - first <= $4::int - 1
                ORDER BY "patientId", region, first) w
        GROUP BY w."patientId"
     ), additional AS (
       SELECT 'ADDITIONAL_INJECTION_CONSULT' AS flag, o."patientId", o.id AS episode_id,
              count(*) || ' scheduled or completed injections in the episode' AS detail
         FROM open_ep o JOIN injections i ON i."episodeId" = o.id
        WHERE i.status IN ${COUNTED}
        GROUP BY o."patientId", o.id
       HAVING count(*) >= 2
     ), f AS (
       SELECT * FROM urgent UNION ALL SELECT * FROM surgical UNION ALL SELECT * FROM annual UNION ALL SELECT * FROM additional
     )
     SELECT f.flag, p.mrn, f.episode_id::text AS "episodeId", f.detail
       FROM f JOIN patients p ON p.id = f."patientId"
      ORDER BY array_position(ARRAY['URGENT_SURGICAL_REVIEW', 'SURGICAL_REVIEW', 'ANNUAL_LIMIT', 'ADDITIONAL_INJECTION_CONSULT'], f.flag), p.mrn`,
    [
      date,
      FLAG_PARAMETERS.meaningfulImprovementPercent,
      FLAG_PARAMETERS.annualLimit,
      FLAG_PARAMETERS.annualWindowDays,
      OUTCOME_PARAMETERS.minDaysAfterInjection,
    ],
  );
  return rows as { flag: ReportFlag; mrn: string; episodeId: string | null; detail: string }[];
}

export async function clinicTotals(q: Queryable) {
  const { rows } = await q.query(
    `SELECT (SELECT count(*) FROM patients)::int AS patients,
            (SELECT count(*) FROM episodes WHERE status = 'open')::int AS "openEpisodes",
            (SELECT count(*) FROM injections)::int AS injections`,
  );
  return rows[0] as { patients: number; openEpisodes: number; injections: number };
}
