// Property tests of the payer checks against an oracle written from SPEC §5's words (day by day, window
// by window), independent of the rules' own shortcuts: every issue is right, every `until` is the first
// passing date, and earliestCoveredDate passes R1–R5 and every check while no earlier date does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  earliestCoveredDate,
  judgeCoverage,
  type CoverageCheck,
  type CoverageFacts,
  type CoverageInjection,
  type PolicyVersion,
} from '../../src/modules/coverage/coverage.rules.ts';
import { addDays, daysBetween } from '../../src/modules/injections/injection.rules.ts';

const RUNS = 300;
const BASE = '2027-01-01';
// About a year and a half, crossing the 2028 leap day and DST changes in every northern zone; half the
// dates fall in a few weeks, so injections land exactly on window and interval edges often.
const dateArb = fc.oneof(fc.integer({ min: 0, max: 540 }), fc.integer({ min: 100, max: 160 })).map((n) => addDays(BASE, n));
const regionArb = fc.constantFrom('lumbar', 'lumbar', 'cervical' as const);

const injectionArb = fc.record({
  region: regionArb,
  localDate: dateArb,
  status: fc.constantFrom('scheduled', 'completed', 'completed', 'cancelled', 'no_show' as const),
  outcome: fc.option(
    fc.record({
      percentImprovement: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
      reliefLastedDays: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
      assessedOn: dateArb,
    }),
    { nil: null },
  ),
});

const checkArb: fc.Arbitrary<CoverageCheck> = fc.oneof(
  fc.record({ code: fc.constant('C_CONSERVATIVE_DAYS' as const), days: fc.integer({ min: 0, max: 60 }) }),
  fc.record({ code: fc.constant('C_MIN_INTERVAL_DAYS' as const), days: fc.integer({ min: 1, max: 60 }) }),
  fc.record({
    code: fc.constant('C_MAX_PER_REGION' as const),
    count: fc.integer({ min: 1, max: 4 }),
    windowDays: fc.oneof(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 20 })),
  }),
  fc.record({
    code: fc.constant('C_REPEAT_RELIEF' as const),
    percent: fc.integer({ min: 0, max: 100 }),
    lastedDays: fc.integer({ min: 0, max: 40 }),
    windowDays: fc.integer({ min: 1, max: 200 }),
  }),
  fc.record({
    code: fc.constant('C_MAX_LEVELS' as const),
    transforaminal: fc.integer({ min: 0, max: 2 }),
    interlaminar: fc.integer({ min: 0, max: 1 }),
  }),
);

const factsArb: fc.Arbitrary<CoverageFacts> = fc
  .record({
    localDate: dateArb,
    region: regionArb,
    approach: fc.constantFrom('transforaminal', 'interlaminar', 'caudal', null),
    levelCount: fc.integer({ min: 0, max: 2 }),
    started: dateArb,
    rows: fc.array(injectionArb, { maxLength: 10 }),
    exclude: fc.boolean(),
  })
  .map((r) => {
    const injections = r.rows.map((row, k): CoverageInjection => ({
      id: `i${k}`,
      episodeId: 'e1',
      approach: 'transforaminal',
      levels: ['L4-L5'],
      ...row,
    }));
    return {
      booking: { localDate: r.localDate, region: r.region, approach: r.approach, levels: ['L3-L4', 'L4-L5'].slice(0, r.levelCount) },
      episode: { conservativeCareStartedOn: r.started, region: r.region },
      injections,
      ...(r.exclude && injections.length ? { excludeInjectionId: 'i0' } : {}),
    };
  });

// ---- the oracle: SPEC §5 read literally ---------------------------------------------------------

function counted(f: CoverageFacts): CoverageInjection[] {
  return f.injections.filter((i) => (i.status === 'scheduled' || i.status === 'completed') && i.id !== f.excludeInjectionId);
}

function oraclePasses(c: CoverageCheck, f: CoverageFacts, date: string): boolean {
  const mine = counted(f);
  const inRegion = mine.filter((i) => i.region === f.booking.region);
  switch (c.code) {
    case 'C_CONSERVATIVE_DAYS':
      return daysBetween(f.episode.conservativeCareStartedOn, date) >= c.days;
    case 'C_MIN_INTERVAL_DAYS':
      return mine.every((i) => Math.abs(daysBetween(i.localDate, date)) >= c.days);
    case 'C_MAX_PER_REGION':
      // Every window of windowDays consecutive days that holds the date.
      for (let k = 0; k < c.windowDays; k++) {
        const start = addDays(date, -k);
        const end = addDays(start, c.windowDays - 1);
        const n = inRegion.filter((i) => i.localDate >= start && i.localDate <= end).length + 1;
        if (n > c.count) return false;
      }
      return true;
    case 'C_REPEAT_RELIEF':
      return inRegion
        .filter((i) => i.localDate < date && daysBetween(i.localDate, date) < c.windowDays)
        .every(
          (i) =>
            i.outcome !== null &&
            i.outcome.percentImprovement !== null &&
            i.outcome.percentImprovement >= c.percent &&
            (c.lastedDays === 0 || (i.outcome.reliefLastedDays ?? -1) >= c.lastedDays),
        );
    case 'C_MAX_LEVELS': {
      const n = f.booking.levels?.length ?? 0;
      if (f.booking.approach === 'transforaminal') return n <= c.transforaminal;
      if (f.booking.approach === 'interlaminar') return n <= c.interlaminar;
      return true;
    }
  }
}

/** Far beyond every fact and window in these arbitraries: past it no verdict changes. */
const FAR = addDays(BASE, 540 + 200 + 60 + 5);

describe('payer checks (property)', () => {
  it('report exactly the checks the oracle fails, each with the first date it passes as `until`', () => {
    fc.assert(
      fc.property(factsArb, fc.array(checkArb, { minLength: 1, maxLength: 4 }), (f, checks) => {
        const issues = judgeCoverage(checks, f);
        const failing = checks.filter((c) => !oraclePasses(c, f, f.booking.localDate));
        expect(issues.map((i) => i.check)).toEqual(failing.map((c) => c.code));
        failing.forEach((c, k) => {
          const until = issues[k]?.until ?? null;
          let first: string | null = null;
          for (let d = f.booking.localDate; d <= FAR; d = addDays(d, 1)) {
            if (oraclePasses(c, f, d)) {
              first = d;
              break;
            }
          }
          expect(until).toBe(first);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('earliestCoveredDate passes R1–R5 and every check, and no earlier date does', () => {
    const blockedArb = fc.array(dateArb, { maxLength: 40 });
    const versionsArb = fc
      .array(fc.record({ effectiveFrom: dateArb, checks: fc.array(checkArb, { maxLength: 4 }) }), { minLength: 1, maxLength: 3 })
      .map((vs) =>
        vs
          .map((v) => v.effectiveFrom)
          .sort()
          .map((effectiveFrom, k): PolicyVersion => ({ version: k + 1, effectiveFrom, checks: vs[k]!.checks })),
      );
    fc.assert(
      fc.property(factsArb, versionsArb, blockedArb, fc.boolean(), (f, versions, blocked, rulesNever) => {
        const blockedSet = new Set(blocked);
        const eligible = (d: string) => !rulesNever && !blockedSet.has(d);
        const earliestEligible = (from: string) => {
          if (rulesNever) return null;
          let d = from;
          while (blockedSet.has(d)) d = addDays(d, 1);
          return d;
        };
        const checksOn = (d: string) => {
          let v = versions[0]!;
          for (const x of versions) if (x.effectiveFrom <= d) v = x;
          return v.checks;
        };
        const covered = (d: string) => eligible(d) && checksOn(d).every((c) => oraclePasses(c, f, d));
        const from = f.booking.localDate;
        const got = earliestCoveredDate({ versions, facts: f, from, earliestEligible });
        let expected: string | null = null;
        for (let d = from; d <= FAR; d = addDays(d, 1)) {
          if (covered(d)) {
            expected = d;
            break;
          }
        }
        expect(got).toBe(expected);
        if (got !== null) expect(covered(got)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});
