// The day's bookings with payer coverage issues (SPEC §5): injections booked during the clinic-local
// date (their `createdAt` in [dayStart, dayEnd)), whatever their date or status now, whose stored
// judgement found issues. The judgement is the one stored at booking, under the policy version named,
// never a re-judgement under today's policy files.
import { iso, type Queryable } from './report-sql.ts';

export interface CoverageIssueRow {
  injectionId: string;
  mrn: string;
  bookedAt: string;
  bookedByName: string | null;
  localDate: string;
  status: 'scheduled' | 'completed' | 'cancelled' | 'no_show';
  policyId: string;
  policyVersion: number | null;
  checks: string[];
  issues: { check: string; message: string; until: string | null }[];
}

export async function dayCoverageIssues(q: Queryable, dayStart: string, dayEnd: string): Promise<CoverageIssueRow[]> {
  const { rows } = await q.query<CoverageIssueRow>(
    `SELECT i.id::text AS "injectionId", p.mrn, ${iso('i."createdAt"')} AS "bookedAt", i."bookedByName",
            i."localDate"::text AS "localDate", i.status::text AS status,
            i."coveragePolicyId" AS "policyId", i."coveragePolicyVersion" AS "policyVersion",
            ARRAY(SELECT x->>'check' FROM jsonb_array_elements(i."coverageIssues") x) AS checks,
            i."coverageIssues" AS issues
       FROM injections i JOIN patients p ON p.id = i."patientId"
      WHERE i."createdAt" >= $1::timestamptz AND i."createdAt" < $2::timestamptz
        AND jsonb_typeof(i."coverageIssues") = 'array' AND jsonb_array_length(i."coverageIssues") > 0
      ORDER BY i."createdAt", i.id`,
    [dayStart, dayEnd],
  );
  return rows;
}
