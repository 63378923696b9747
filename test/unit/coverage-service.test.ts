// The coverage service's pure parts: which version judges, an uninstalled policy, the eligibility answer
// and the judgement read back from a booking's columns.
import { describe, expect, it } from 'vitest';
import { eligibilityCoverage, judgeBooking, storedJudgement } from '../../src/modules/coverage/coverage.service.ts';
import { PolicyRegistry, type CoveragePolicy } from '../../src/modules/coverage/policy-registry.ts';

const v1: CoveragePolicy = {
  id: 'acme',
  version: 1,
  name: 'Acme',
  effectiveFrom: '2027-01-01',
  source: 'x',
  checks: [{ code: 'C_MIN_INTERVAL_DAYS', days: 30 }],
};
const v2: CoveragePolicy = { ...v1, version: 2, effectiveFrom: '2027-09-01', checks: [{ code: 'C_MIN_INTERVAL_DAYS', days: 60 }] };
const registry = new PolicyRegistry([v1, v2, { ...v1, id: 'clinic-only', checks: [] }]);
const injection = {
  id: 'i1',
  episodeId: 'e1',
  region: 'lumbar' as const,
  localDate: '2027-08-01',
  status: 'completed' as const,
  approach: 'transforaminal' as const,
  levels: ['L4-L5'],
  outcome: null,
};
const episode = { conservativeCareStartedOn: '2027-01-04', region: 'lumbar' as const };
const facts = (localDate: string) => ({ booking: { localDate, region: 'lumbar' as const }, episode, injections: [injection] });

describe('judgeBooking', () => {
  it("judges by the version in effect on the booking's date", () => {
    expect(judgeBooking(registry, 'acme', facts('2027-08-31'))).toEqual({
      policyId: 'acme',
      version: 1,
      covered: true,
      issues: [],
    });
    expect(judgeBooking(registry, 'acme', facts('2027-09-01'))).toMatchObject({
      version: 2,
      covered: false,
      issues: [{ check: 'C_MIN_INTERVAL_DAYS', until: '2027-09-30' }],
    });
  });
  it('cannot call a booking covered under a policy that is no longer installed', () => {
    expect(judgeBooking(registry, 'gone', facts('2027-09-01'))).toEqual({
      policyId: 'gone',
      version: null,
      covered: false,
      issues: [{ check: 'POLICY_UNKNOWN', message: expect.stringContaining('gone'), until: null }],
    });
  });
});

describe('eligibilityCoverage', () => {
  const everyDay = (from: string) => from;
  it('answers the verdict on the date and the first date both R1–R5 and the policy allow', () => {
    const r = eligibilityCoverage(registry, 'acme', { episode, injections: [injection] }, '2027-08-10', everyDay);
    expect(r.coverage).toMatchObject({ version: 1, covered: false });
    expect(r.earliestCoveredDate).toBe('2027-08-31');
    // Version 2 takes effect the next day and wants 60 days: 2027-09-30.
    const later = eligibilityCoverage(registry, 'acme', { episode, injections: [injection] }, '2027-09-01', everyDay);
    expect(later.earliestCoveredDate).toBe('2027-09-30');
  });
  it('has nothing to judge without an open episode, and no date under an unknown policy', () => {
    expect(eligibilityCoverage(registry, 'acme', { episode: null, injections: [] }, '2027-08-10', everyDay)).toEqual({
      coverage: null,
      earliestCoveredDate: null,
    });
    expect(eligibilityCoverage(registry, 'gone', { episode, injections: [] }, '2027-08-10', everyDay).earliestCoveredDate).toBeNull();
  });
});

describe('storedJudgement', () => {
  it('reads the columns a booking keeps, null for bookings made before coverage was judged', () => {
    const issues = [{ check: 'C_MIN_INTERVAL_DAYS', message: 'm', until: '2027-09-30' }];
    expect(storedJudgement({ coveragePolicyId: 'acme', coveragePolicyVersion: 2, coverageIssues: issues })).toEqual({
      policyId: 'acme',
      version: 2,
      covered: false,
      issues,
    });
    expect(storedJudgement({ coveragePolicyId: 'acme', coveragePolicyVersion: 1, coverageIssues: [] })?.covered).toBe(true);
    expect(storedJudgement({ coveragePolicyId: null, coveragePolicyVersion: null, coverageIssues: null })).toBeNull();
  });
});
