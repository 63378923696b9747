// Payer coverage checks at every boundary (SPEC §5): the 4th and 5th session in a rolling window,
// relief 49/50 % and reliefLastedDays one short, interval and conservative days −1/0, levels.
import { describe, expect, it } from 'vitest';
import {
  earliestCoveredDate,
  judgeCoverage,
  policyVersionOn,
  type CoverageCheck,
  type CoverageFacts,
  type CoverageInjection,
  type PolicyVersion,
} from '../../src/modules/coverage/coverage.rules.ts';
import { addDays } from '../../src/modules/injections/injection.rules.ts';

let seq = 0;
function inj(localDate: string, extra: Partial<CoverageInjection> = {}): CoverageInjection {
  return {
    id: `i${++seq}`,
    episodeId: 'e1',
    region: 'lumbar',
    localDate,
    status: 'completed',
    approach: 'transforaminal',
    levels: ['L4-L5'],
    outcome: null,
    ...extra,
  };
}
const relief = (percentImprovement: number | null, reliefLastedDays: number | null) => ({
  outcome: { percentImprovement, reliefLastedDays, assessedOn: '2027-01-01' },
});

function facts(localDate: string, injections: CoverageInjection[] = [], extra: Partial<CoverageFacts['booking']> = {}): CoverageFacts {
  return {
    booking: { localDate, region: 'lumbar', approach: 'transforaminal', levels: ['L4-L5'], ...extra },
    episode: { conservativeCareStartedOn: '2027-01-04', region: 'lumbar' },
    injections,
  };
}
const judge = (check: CoverageCheck, f: CoverageFacts) => judgeCoverage([check], f);

describe('C_CONSERVATIVE_DAYS', () => {
  const check: CoverageCheck = { code: 'C_CONSERVATIVE_DAYS', days: 28 };
  it('passes on the day the care reaches `days` days and not the day before', () => {
    // 2027-01-04 + 28 = 2027-02-01
    expect(judge(check, facts('2027-02-01'))).toEqual([]);
    expect(judge(check, facts('2027-01-31'))).toEqual([
      { check: 'C_CONSERVATIVE_DAYS', message: expect.stringContaining('28 days of conservative care'), until: '2027-02-01' },
    ]);
  });
  it('has no severity exemption and refuses a date before the care started', () => {
    expect(judge(check, facts('2027-01-01'))[0]?.until).toBe('2027-02-01');
  });
});

describe('C_MIN_INTERVAL_DAYS', () => {
  const check: CoverageCheck = { code: 'C_MIN_INTERVAL_DAYS', days: 30 };
  it('needs `days` in both directions, from injections of any region', () => {
    const before = [inj('2027-03-01', { region: 'cervical' })];
    expect(judge(check, facts('2027-03-31', before))).toEqual([]); // 30 days
    expect(judge(check, facts('2027-03-30', before))).toEqual([
      { check: 'C_MIN_INTERVAL_DAYS', message: expect.stringContaining('2027-03-01'), until: '2027-03-31' },
    ]);
    const after = [inj('2027-05-01', { status: 'scheduled' })];
    expect(judge(check, facts('2027-04-01', after))).toEqual([]); // 30 days before
    expect(judge(check, facts('2027-04-02', after))[0]?.until).toBe('2027-05-31');
  });
  it('ignores cancelled, no-show and the injection being moved', () => {
    const rows = [
      inj('2027-03-01', { status: 'cancelled' }),
      inj('2027-03-02', { status: 'no_show' }),
      inj('2027-03-03', { id: 'moving' }),
    ];
    expect(judge(check, { ...facts('2027-03-04', rows), excludeInjectionId: 'moving' })).toEqual([]);
    expect(judge(check, facts('2027-03-04', rows))).toHaveLength(1);
  });
  it('finds a gap between two bookings as `until` when it is wide enough', () => {
    const rows = [inj('2027-03-01'), inj('2027-05-01', { status: 'scheduled' })];
    // 2027-03-31 is 30 days after the first and 31 before the second.
    expect(judge(check, facts('2027-03-15', rows))[0]?.until).toBe('2027-03-31');
  });
});

describe('C_MAX_PER_REGION', () => {
  const check: CoverageCheck = { code: 'C_MAX_PER_REGION', count: 4, windowDays: 365 };
  const three = [inj('2027-01-10'), inj('2027-04-10'), inj('2027-07-10')];
  it('allows the 4th session in a rolling 12 months and flags the 5th', () => {
    expect(judge(check, facts('2027-10-10', three))).toEqual([]);
    const four = [...three, inj('2027-10-10')];
    const issues = judge(check, facts('2027-12-20', four));
    expect(issues).toEqual([{ check: 'C_MAX_PER_REGION', message: expect.stringContaining('at most 4 lumbar'), until: '2028-01-10' }]);
  });
  it('counts a window of 365 days: 364 days after the first is inside, 365 is outside', () => {
    const four = [inj('2027-01-10'), inj('2027-04-10'), inj('2027-07-10'), inj('2027-10-10')];
    expect(judge(check, facts(addDays('2027-01-10', 364), four))).toHaveLength(1);
    expect(judge(check, facts(addDays('2027-01-10', 365), four))).toEqual([]);
  });
  it('never puts two sessions 365 days apart in one window, with the booking between them', () => {
    const two: CoverageCheck = { code: 'C_MAX_PER_REGION', count: 2, windowDays: 365 };
    const rows = [inj('2027-01-01'), inj('2028-01-01', { status: 'scheduled' })];
    expect(judge(two, facts('2027-06-01', rows))).toEqual([]);
    expect(judge(two, facts('2027-06-01', [...rows, inj('2027-12-31', { status: 'scheduled' })]))).toHaveLength(1);
  });
  it('counts future bookings: a session before a booked series can overflow it', () => {
    const future = [inj('2027-06-01', { status: 'scheduled' }), inj('2027-08-01', { status: 'scheduled' })];
    const withPast = [inj('2027-02-01'), inj('2027-03-01'), ...future];
    expect(judge(check, facts('2027-04-01', withPast))).toHaveLength(1);
  });
  it('counts only the booking region and only scheduled or completed rows', () => {
    const rows = [
      ...three,
      inj('2027-09-01', { region: 'cervical' }),
      inj('2027-09-15', { status: 'cancelled' }),
      inj('2027-09-30', { status: 'no_show' }),
    ];
    expect(judge(check, facts('2027-10-10', rows))).toEqual([]);
  });
  it('judges several caps of one policy separately', () => {
    const caps: CoverageCheck[] = [
      { code: 'C_MAX_PER_REGION', count: 3, windowDays: 183 },
      { code: 'C_MAX_PER_REGION', count: 4, windowDays: 365 },
    ];
    const rows = [inj('2027-01-01'), inj('2027-02-01'), inj('2027-03-01')];
    // Fourth within 6 months: only the 6-month cap; it clears when 2027-01-01 leaves the window.
    expect(judgeCoverage(caps, facts('2027-04-01', rows))).toEqual([
      { check: 'C_MAX_PER_REGION', message: expect.stringContaining('within 183 days'), until: addDays('2027-01-01', 183) },
    ]);
    // 2027-07-03 is 183 days after 2027-01-01: three in the 6-month window, four in 12 months.
    expect(judgeCoverage(caps, facts('2027-07-03', rows))).toEqual([]);
    const four = [...rows, inj('2027-07-03')];
    const issues = judgeCoverage(caps, facts('2027-09-05', four));
    expect(issues.map((i) => i.message)).toEqual([expect.stringContaining('within 365 days')]);
  });
});

describe('C_REPEAT_RELIEF', () => {
  const check: CoverageCheck = { code: 'C_REPEAT_RELIEF', percent: 50, lastedDays: 14, windowDays: 365 };
  it('needs 50 % relief: 50 passes, 49 does not', () => {
    expect(judge(check, facts('2027-04-01', [inj('2027-03-01', relief(50, 14))]))).toEqual([]);
    expect(judge(check, facts('2027-04-01', [inj('2027-03-01', relief(49, 90))]))).toEqual([
      { check: 'C_REPEAT_RELIEF', message: expect.stringContaining('not recorded for 2027-03-01'), until: addDays('2027-03-01', 365) },
    ]);
  });
  it('needs reliefLastedDays ≥ lastedDays: one short or unknown does not pass', () => {
    expect(judge(check, facts('2027-04-01', [inj('2027-03-01', relief(80, 13))]))).toHaveLength(1);
    expect(judge(check, facts('2027-04-01', [inj('2027-03-01', relief(80, null))]))).toHaveLength(1);
    expect(judge(check, facts('2027-04-01', [inj('2027-03-01', relief(null, 30))]))).toHaveLength(1);
    expect(judge(check, facts('2027-04-01', [inj('2027-03-01')]))).toHaveLength(1);
  });
  it('with lastedDays 0 asks only for the percentage', () => {
    const percentOnly: CoverageCheck = { ...check, lastedDays: 0 };
    expect(judge(percentOnly, facts('2027-04-01', [inj('2027-03-01', relief(50, null))]))).toEqual([]);
  });
  it('looks only at earlier injections of the region within the window', () => {
    const rows = [inj('2026-03-01'), inj('2027-03-01', { region: 'cervical' }), inj('2027-05-01', { status: 'scheduled' })];
    // 2026-03-01 + 365 = 2027-03-01: out of the window; the cervical one and the later one do not count.
    expect(judge(check, facts('2027-03-01', rows))).toEqual([]);
    expect(judge(check, facts('2027-02-28', rows))[0]?.until).toBe('2027-03-01');
  });
  it('a first injection of the region needs nothing', () => {
    expect(judge(check, facts('2027-04-01'))).toEqual([]);
  });
});

describe('C_MAX_LEVELS', () => {
  const check: CoverageCheck = { code: 'C_MAX_LEVELS', transforaminal: 1, interlaminar: 1 };
  it('limits levels per approach and has no date that passes', () => {
    expect(judge(check, facts('2027-04-01', [], { levels: ['L4-L5'] }))).toEqual([]);
    expect(judge(check, facts('2027-04-01', [], { levels: ['L4-L5', 'L5-S1'] }))).toEqual([
      { check: 'C_MAX_LEVELS', message: expect.stringContaining('at most 1 level per transforaminal session; 2 requested'), until: null },
    ]);
    const interlaminar: CoverageCheck = { code: 'C_MAX_LEVELS', transforaminal: 2, interlaminar: 0 };
    expect(judge(interlaminar, facts('2027-04-01', [], { approach: 'interlaminar', levels: ['L4-L5'] }))).toHaveLength(1);
  });
  it('is not judged for caudal or when the approach is not known yet', () => {
    const none: CoverageCheck = { code: 'C_MAX_LEVELS', transforaminal: 0, interlaminar: 0 };
    expect(judge(none, facts('2027-04-01', [], { approach: 'caudal', levels: [] }))).toEqual([]);
    expect(judge(none, facts('2027-04-01', [], { approach: null, levels: [] }))).toEqual([]);
  });
});

describe('policyVersionOn', () => {
  const versions: PolicyVersion[] = [
    { version: 2, effectiveFrom: '2027-07-01', checks: [] },
    { version: 1, effectiveFrom: '2027-01-01', checks: [] },
  ];
  it('takes the newest version in effect on the date, the first one before any', () => {
    expect(policyVersionOn(versions, '2027-06-30')?.version).toBe(1);
    expect(policyVersionOn(versions, '2027-07-01')?.version).toBe(2);
    expect(policyVersionOn(versions, '2026-01-01')?.version).toBe(1);
    expect(policyVersionOn([], '2026-01-01')).toBeUndefined();
  });
});

describe('earliestCoveredDate', () => {
  const everyDay = (from: string) => from;
  const checks: CoverageCheck[] = [
    { code: 'C_CONSERVATIVE_DAYS', days: 28 },
    { code: 'C_MIN_INTERVAL_DAYS', days: 30 },
  ];
  const v1: PolicyVersion[] = [{ version: 1, effectiveFrom: '2020-01-01', checks }];
  it('is the given date when it passes', () => {
    expect(earliestCoveredDate({ versions: v1, facts: facts('2027-03-01'), from: '2027-03-01', earliestEligible: everyDay })).toBe(
      '2027-03-01',
    );
  });
  it('falls in a gap between bookings when the gap is wide enough, else after them', () => {
    const rows = [inj('2027-03-01'), inj('2027-05-01', { status: 'scheduled' })];
    expect(earliestCoveredDate({ versions: v1, facts: facts('2027-03-10', rows), from: '2027-03-10', earliestEligible: everyDay })).toBe(
      '2027-03-31',
    );
    const narrow = [inj('2027-03-01'), inj('2027-04-15', { status: 'scheduled' })];
    expect(earliestCoveredDate({ versions: v1, facts: facts('2027-03-10', narrow), from: '2027-03-10', earliestEligible: everyDay })).toBe(
      '2027-05-15',
    );
  });
  it("follows R1–R5's own dates and is null when they have none", () => {
    const blockedUntil = (d: string) => (from: string) => (from < d ? d : from);
    expect(
      earliestCoveredDate({ versions: v1, facts: facts('2027-01-10'), from: '2027-01-10', earliestEligible: blockedUntil('2027-02-15') }),
    ).toBe('2027-02-15');
    expect(earliestCoveredDate({ versions: v1, facts: facts('2027-01-10'), from: '2027-01-10', earliestEligible: () => null })).toBeNull();
  });
  it('is null when a check no date can pass fails (levels)', () => {
    const levels: PolicyVersion[] = [
      { version: 1, effectiveFrom: '2020-01-01', checks: [{ code: 'C_MAX_LEVELS', transforaminal: 1, interlaminar: 1 }] },
    ];
    const f = facts('2027-03-01', [], { levels: ['L4-L5', 'L5-S1'] });
    expect(earliestCoveredDate({ versions: levels, facts: f, from: '2027-03-01', earliestEligible: everyDay })).toBeNull();
  });
  it('stops at the first day of a newer, looser version', () => {
    const versions: PolicyVersion[] = [
      { version: 1, effectiveFrom: '2020-01-01', checks: [{ code: 'C_MIN_INTERVAL_DAYS', days: 90 }] },
      { version: 2, effectiveFrom: '2027-04-01', checks: [{ code: 'C_MIN_INTERVAL_DAYS', days: 14 }] },
    ];
    const rows = [inj('2027-03-01')];
    expect(earliestCoveredDate({ versions, facts: facts('2027-03-05', rows), from: '2027-03-05', earliestEligible: everyDay })).toBe(
      '2027-04-01',
    );
  });
});
