// The facts R1-R3 are judged on (one episode and every injection of the patient), read as one SQL
// result: one row per injection, the episode's columns repeated on each. Shared by eligibility and
// booking so both judge exactly the same facts.
import type { EpisodeFacts, InjectionFacts, InjectionStatus, NeurologicalSign, Severity } from './injection.rules.ts';

/** Select list over an `episodes e` and an `injections i` joined by the caller. */
export const RULE_FACTS_COLUMNS = `e.id AS "episodeId", e."patientId" AS "episodePatientId", e.status AS "episodeStatus",
       to_char(e."conservativeCareStartedOn", 'YYYY-MM-DD') AS "startedOn", e.severity, e."neurologicalSigns"::text[] AS signs,
       i.id AS "injectionId", to_char(i."localDate", 'YYYY-MM-DD') AS "localDate", i.status`;

export interface RuleFactsRow {
  episodeId: string | null;
  episodePatientId: string;
  episodeStatus: 'open' | 'closed';
  startedOn: string;
  severity: Severity;
  signs: NeurologicalSign[];
  injectionId: string | null;
  localDate: string;
  status: InjectionStatus;
}

export interface RuleFacts {
  episode: EpisodeFacts | null;
  injections: InjectionFacts[];
}

export function ruleFactsFromRows(rows: readonly RuleFactsRow[]): RuleFacts {
  const first = rows[0];
  const episode: EpisodeFacts | null =
    !first || first.episodeId === null
      ? null
      : {
          id: first.episodeId,
          patientId: first.episodePatientId,
          status: first.episodeStatus,
          conservativeCareStartedOn: first.startedOn,
          severity: first.severity,
          neurologicalSigns: first.signs,
        };
  const injections = rows.flatMap((r) => (r.injectionId === null ? [] : [{ id: r.injectionId, localDate: r.localDate, status: r.status }]));
  return { episode, injections };
}
