// The facts R1–R5 (and the clinical flags) are judged on: one episode with its latest consultation's
// allowance and its cleared red flags, and every injection of the patient with its episode's region and
// outcome. One SQL result, one row per injection with the episode's columns repeated. Eligibility,
// booking, rescheduling, completion and the exclusion-violation recovery all read them here, so the
// rules always judge the same facts. No rules here.
import type pg from 'pg';
import { AUDIT_ACTOR_PARAMS, AUDIT_INSERT, auditActorValues } from '../audit/audit-sql.ts';
import type { RequestContext } from '../audit/audit.repository.ts';
import type { EpisodeFacts, InjectionFacts, InjectionStatus, IsoDate, NeurologicalSign, Severity } from './injection.rules.ts';
import type { Approach, Region } from './anatomy.rules.ts';

export type Queryable = Pick<pg.ClientBase, 'query'>;

/** Select list over `episodes e` (+ lateral `c` consultation), `injections i` and `episodes ie` (the injection's episode). */
const RULE_FACTS_COLUMNS = `e.id AS "episodeId", e."patientId" AS "episodePatientId", e.status AS "episodeStatus", e.region AS "episodeRegion",
       to_char(e."conservativeCareStartedOn", 'YYYY-MM-DD') AS "startedOn", e.severity, e."neurologicalSigns"::text[] AS signs,
       e."clearedRedFlags"::text[] AS "clearedRedFlags", c."allowInjections",
       i.id AS "injectionId", i."episodeId" AS "injectionEpisodeId", ie.region AS "injectionRegion", to_char(i."localDate", 'YYYY-MM-DD') AS "localDate",
       i.status, i.approach, i.levels::text[] AS levels, i."percentImprovement", to_char(i."assessedOn", 'YYYY-MM-DD') AS "assessedOn", i."reliefLastedDays"`;

/** The latest consultation of episode `e`, at most one row. */
const LATEST_CONSULTATION = `LEFT JOIN LATERAL (SELECT "allowInjections" FROM consultations WHERE "episodeId" = e.id ORDER BY seq DESC LIMIT 1) c ON true`;

interface RuleFactsRow {
  episodeId: string | null;
  episodePatientId: string;
  episodeStatus: 'open' | 'closed';
  episodeRegion: Region;
  startedOn: string;
  severity: Severity;
  signs: NeurologicalSign[];
  clearedRedFlags: NeurologicalSign[];
  allowInjections: number | null;
  injectionId: string | null;
  injectionEpisodeId: string;
  injectionRegion: Region;
  localDate: string;
  status: InjectionStatus;
  approach: Approach;
  levels: string[];
  percentImprovement: number | null;
  assessedOn: string | null;
  reliefLastedDays: number | null;
}

/** An injection as the rules, the flags and the coverage checks see it. */
export interface RuleInjection extends InjectionFacts {
  episodeId: string;
  region: Region;
  approach: Approach;
  levels: string[];
  outcome: { percentImprovement: number | null; assessedOn: IsoDate; reliefLastedDays: number | null } | null;
}

export interface RuleFacts {
  episode: (EpisodeFacts & { region: Region }) | null;
  /** every injection of the patient, any status and episode, oldest first */
  injections: RuleInjection[];
}

function ruleFactsFromRows(rows: readonly RuleFactsRow[]): RuleFacts {
  const first = rows[0];
  const episode =
    !first || first.episodeId === null
      ? null
      : {
          id: first.episodeId,
          patientId: first.episodePatientId,
          status: first.episodeStatus,
          region: first.episodeRegion,
          conservativeCareStartedOn: first.startedOn,
          severity: first.severity,
          neurologicalSigns: first.signs,
          clearedRedFlags: first.clearedRedFlags,
          allowInjections: first.allowInjections,
        };
  const injections = rows.flatMap((r): RuleInjection[] =>
    r.injectionId === null
      ? []
      : [
          {
            id: r.injectionId,
            episodeId: r.injectionEpisodeId,
            region: r.injectionRegion,
            localDate: r.localDate,
            status: r.status,
            approach: r.approach,
            levels: r.levels,
            outcome:
              r.assessedOn === null
                ? null
                : { percentImprovement: r.percentImprovement, assessedOn: r.assessedOn, reliefLastedDays: r.reliefLastedDays },
          },
        ],
  );
  return { episode, injections };
}

export const RULE_FACTS_SQL = `SELECT ${RULE_FACTS_COLUMNS}
  FROM (SELECT 1) one
  LEFT JOIN episodes e ON e.id = $2::uuid
  ${LATEST_CONSULTATION}
  LEFT JOIN injections i ON i."patientId" = $1::uuid
  LEFT JOIN episodes ie ON ie.id = i."episodeId"
 ORDER BY i."localDate", i.id`;

/** The episode named (null when no such episode) and every injection of the patient. */
export async function loadRuleFacts(q: Queryable, patientId: string, episodeId: string): Promise<RuleFacts> {
  const { rows } = await q.query<RuleFactsRow>({ name: 'rule-facts', text: RULE_FACTS_SQL, values: [patientId, episodeId] });
  return ruleFactsFromRows(rows);
}

export const ELIGIBILITY_SQL = `WITH p AS (SELECT id FROM patients WHERE id = $1::uuid),
  a AS (${AUDIT_INSERT} SELECT ${AUDIT_ACTOR_PARAMS}, 'eligibility.read', 'patient', p.id::text, p.id FROM p)
  SELECT ${RULE_FACTS_COLUMNS}
    FROM p LEFT JOIN episodes e ON e."patientId" = p.id AND e.status = 'open'
           ${LATEST_CONSULTATION}
           LEFT JOIN injections i ON i."patientId" = p.id
           LEFT JOIN episodes ie ON ie.id = i."episodeId"
   ORDER BY i."localDate", i.id`;

/** The open episode and every injection of the patient, auditing the read in the same statement;
 * null when there is no such patient. */
export async function loadEligibilityFacts(q: Queryable, ctx: RequestContext, patientId: string): Promise<RuleFacts | null> {
  const { rows } = await q.query<RuleFactsRow>({
    name: 'eligibility-facts',
    text: ELIGIBILITY_SQL,
    values: [patientId, ...auditActorValues(ctx)],
  });
  // No row at all: no such patient (a patient without episode or injections still yields one row).
  return rows.length === 0 ? null : ruleFactsFromRows(rows);
}
