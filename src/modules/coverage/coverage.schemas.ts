// zod shapes of coverage policies: the JSON files in policies/ (validated at start) and the API DTOs.
import { z } from 'zod';
import { IsoDate } from '../../shared/schemas.ts';
import { CHECK_CODES, type CoverageCheck } from './coverage.rules.ts';

export const POLICY_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const DEFAULT_POLICY_ID = 'clinic-only';

const days = (what: string) => z.number().int(`${what} must be a whole number of days`).min(0).max(3650);
const window = z.number().int('windowDays must be a whole number of days').min(1).max(3650);

/** One check of a policy file: a stable code and its parameters, nothing else. */
export const CheckSchema = z
  .discriminatedUnion('code', [
    z.strictObject({ code: z.literal('C_CONSERVATIVE_DAYS'), days: days('days') }),
    z.strictObject({ code: z.literal('C_MIN_INTERVAL_DAYS'), days: days('days').min(1) }),
    z.strictObject({ code: z.literal('C_MAX_PER_REGION'), count: z.number().int().min(1).max(100), windowDays: window }),
    z.strictObject({
      code: z.literal('C_REPEAT_RELIEF'),
      percent: z.number().int().min(0).max(100),
      lastedDays: days('lastedDays'),
      windowDays: window,
    }),
    z.strictObject({
      code: z.literal('C_MAX_LEVELS'),
      transforaminal: z.number().int().min(0).max(10),
      interlaminar: z.number().int().min(0).max(10),
    }),
  ])
  .meta({ id: 'CoverageCheck', description: `One parameterised payer check; code is one of ${CHECK_CODES.join(', ')}` });

export const PolicyFileSchema = z
  .strictObject({
    id: z.string().regex(POLICY_ID, 'must be 1-63 lower-case letters, digits or hyphens'),
    version: z.number().int().min(1).max(10_000),
    name: z.string().trim().min(1).max(200),
    effectiveFrom: IsoDate,
    source: z.string().trim().min(1).max(2000),
    checks: z.array(CheckSchema).max(20),
  })
  .superRefine((p, ctx) => {
    // Several caps (3 in 6 months and 4 in 12) are normal; two conservative-care minimums are a typo.
    const seen = new Set<string>();
    p.checks.forEach((c, i) => {
      if (c.code !== 'C_MAX_PER_REGION' && seen.has(c.code)) {
        ctx.addIssue({ code: 'custom', path: ['checks', i, 'code'], message: `${c.code} may appear only once` });
      }
      seen.add(c.code);
    });
  });

export type PolicyFile = z.infer<typeof PolicyFileSchema>;
// The file schema and the rules' own type must describe the same checks (a compile-time guard).
export const asRuleChecks = (p: PolicyFile): readonly CoverageCheck[] => p.checks;

export const PolicyDto = z
  .object({
    id: z.string(),
    version: z.number().int(),
    name: z.string(),
    effectiveFrom: z.string(),
    source: z.string(),
    checks: z.array(CheckSchema),
    inEffect: z.boolean().meta({ description: "true for the version in effect on today's clinic date" }),
  })
  .meta({ id: 'CoveragePolicy' });

export const PolicyList = z.object({ items: z.array(PolicyDto) });

export const CoverageIssueDto = z
  .object({
    check: z
      .string()
      .meta({ description: `${CHECK_CODES.join(' | ')}, or POLICY_UNKNOWN when the patient's policy is no longer installed` }),
    message: z.string(),
    until: z.string().nullable().meta({ description: 'the first date this check would pass, or null when no date does' }),
  })
  .meta({ id: 'CoverageIssue' });

export const CoverageJudgementDto = z
  .object({
    policyId: z.string(),
    version: z.number().int().nullable().meta({ description: 'the policy version judged under; null when the policy is unknown' }),
    covered: z.boolean(),
    issues: z.array(CoverageIssueDto),
  })
  .meta({ id: 'CoverageJudgement', description: "The payer policy's verdict; it never blocks a booking" });

/** A patient's payer: who pays, the policy judging bookings, and the member number (patient data). */
export const PatientCoverageInput = z
  .strictObject({
    payer: z.string().trim().min(1, 'must not be empty').max(100),
    policyId: z.string().max(63),
    memberId: z
      .string()
      .trim()
      .max(40)
      .regex(/^[A-Za-z0-9 ./-]{1,40}$/, 'must be 1-40 letters, digits, spaces or . / -')
      .nullish(),
  })
  .meta({ id: 'PatientCoverageBody' });

export const PatientCoverageDto = z
  .object({ payer: z.string().nullable(), policyId: z.string(), memberId: z.string().nullable() })
  .meta({ id: 'PatientCoverage', description: `Without a payer the patient is judged by ${DEFAULT_POLICY_ID} (no checks)` });
