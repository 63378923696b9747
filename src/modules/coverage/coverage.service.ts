// Judges a proposed injection against the patient's payer policy (SPEC §5) and keeps the judgement on
// the booking. Eligibility and booking call these after R1–R5; nothing here ever refuses a booking.
import type pg from 'pg';
import { DEFAULT_POLICY_ID } from './coverage.schemas.ts';
import { earliestCoveredDate, judgeCoverage, type CheckCode, type CoverageFacts, type IsoDate } from './coverage.rules.ts';
import type { PolicyRegistry } from './policy-registry.ts';

type Queryable = Pick<pg.ClientBase, 'query'>;

export interface CoverageJudgement {
  policyId: string;
  /** null when the patient's policy is no longer installed */
  version: number | null;
  covered: boolean;
  issues: { check: CheckCode | 'POLICY_UNKNOWN'; message: string; until: IsoDate | null }[];
}

/** The policy id a patient's bookings are judged by (clinic-only when none was set); null: no such patient. */
export async function patientPolicyId(q: Queryable, patientId: string): Promise<string | null> {
  const { rows } = await q.query<{ policyId: string }>({
    name: 'coverage-policy-of-patient',
    text: 'SELECT "coveragePolicyId" AS "policyId" FROM patients WHERE id = $1::uuid',
    values: [patientId],
  });
  return rows[0]?.policyId ?? null;
}

/** The verdict of the policy version in effect on the booking's date. A policy id whose files were
 * removed since it was given to the patient cannot say "covered": one POLICY_UNKNOWN issue says why. */
export function judgeBooking(policies: PolicyRegistry, policyId: string, facts: CoverageFacts): CoverageJudgement {
  const policy = policies.versionOn(policyId, facts.booking.localDate);
  if (!policy) {
    const message = `The patient's coverage policy ${policyId} is not installed; choose one of GET /v1/policies (or ${DEFAULT_POLICY_ID}).`;
    return { policyId, version: null, covered: false, issues: [{ check: 'POLICY_UNKNOWN', message, until: null }] };
  }
  const issues = judgeCoverage(policy.checks, facts);
  return { policyId, version: policy.version, covered: issues.length === 0, issues };
}

/** The first date on or after `from` passing R1–R5 (through their own search) and the policy. */
export function coveredFrom(
  policies: PolicyRegistry,
  policyId: string,
  facts: CoverageFacts,
  from: IsoDate,
  earliestEligible: (from: IsoDate) => IsoDate | null,
): IsoDate | null {
  const versions = policies.versions(policyId);
  if (versions.length === 0) return null;
  return earliestCoveredDate({ versions, facts, from, earliestEligible });
}

/** The judgement stored on a booking; null for bookings made before coverage was judged. */
export function storedJudgement(row: {
  coveragePolicyId: string | null;
  coveragePolicyVersion: number | null;
  coverageIssues: unknown;
}): CoverageJudgement | null {
  if (row.coveragePolicyId === null || !Array.isArray(row.coverageIssues)) return null;
  const issues = row.coverageIssues as CoverageJudgement['issues'];
  return { policyId: row.coveragePolicyId, version: row.coveragePolicyVersion, covered: issues.length === 0, issues };
}

/** Keeps the judgement on the booking: later policy versions never change it. */
export async function storeJudgement(q: Queryable, injectionId: string, j: CoverageJudgement): Promise<void> {
  await q.query({
    name: 'coverage-store-judgement',
    text: `UPDATE injections SET "coveragePolicyId" = $2, "coveragePolicyVersion" = $3::int, "coverageIssues" = $4::jsonb WHERE id = $1::uuid`,
    values: [injectionId, j.policyId, j.version, JSON.stringify(j.issues)],
  });
}

/** What eligibility and booking know when they ask: the rules' own facts, structurally the coverage facts. */
export interface CoverageQuestion {
  episode: (CoverageFacts['episode'] & object) | null;
  injections: CoverageFacts['injections'];
}

/** Eligibility's coverage answer on a date: the verdict and the earliest covered date. Without an open
 * episode there is nothing to judge (R3 already answers), so both are null. */
export function eligibilityCoverage(
  policies: PolicyRegistry,
  policyId: string,
  q: CoverageQuestion,
  on: IsoDate,
  earliestEligible: (from: IsoDate) => IsoDate | null,
): { coverage: CoverageJudgement | null; earliestCoveredDate: IsoDate | null } {
  if (q.episode === null) return { coverage: null, earliestCoveredDate: null };
  const facts: CoverageFacts = { booking: { localDate: on, region: q.episode.region }, episode: q.episode, injections: q.injections };
  return {
    coverage: judgeBooking(policies, policyId, facts),
    earliestCoveredDate: coveredFrom(policies, policyId, facts, on, earliestEligible),
  };
}

/** A new booking's judgement, inside its transaction before the row is written: under the patient's
 * policy version in effect on the booking's date. The caller stores it (storeJudgement) and audits it
 * with the booking. Never refuses; null without an episode (R3 refuses that booking anyway). */
export async function judgeNewBooking(
  client: Queryable,
  policies: PolicyRegistry,
  b: { patientId: string; question: CoverageQuestion; booking: Omit<CoverageFacts['booking'], 'region'> },
): Promise<CoverageJudgement | null> {
  const episode = b.question.episode;
  const policyId = await patientPolicyId(client, b.patientId);
  if (episode === null || policyId === null) return null;
  const booking = { ...b.booking, region: episode.region };
  return judgeBooking(policies, policyId, { booking, episode, injections: b.question.injections });
}
