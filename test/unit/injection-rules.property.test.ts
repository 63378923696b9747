import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  checkR3,
  daysBetween,
  earliestEligibleDate,
  evaluateBooking,
  isCounted,
  localDateOf,
  r1EarliestDate,
} from '../../src/modules/injections/injection.rules.ts';
import type {
  BookingInput,
  EpisodeFacts,
  InjectionFacts,
  InjectionStatus,
  NeurologicalSign,
} from '../../src/modules/injections/injection.rules.ts';

const RUNS = 400;
const BASE = '2026-01-01';
// Dates within about three years, crossing the 2028 leap day and several DST changes.
const dayOffset = fc.integer({ min: 0, max: 3 * 366 });
const dateArb = dayOffset.map((n) => addDays(BASE, n));

/** Oracle independent of luxon: calendar days via Date.UTC on the parsed fields. */
function utcDays(d: string): number {
  const [y, m, day] = d.split('-').map(Number);
  return Date.UTC(y ?? 0, (m ?? 1) - 1, day ?? 1) / 86_400_000;
}

const statusArb = fc.constantFrom<InjectionStatus>('scheduled', 'completed', 'cancelled', 'no_show');
const signsArb = fc.subarray<NeurologicalSign>(['numbness', 'tingling', 'weakness', 'reflex_loss', 'bowel_bladder'], {
  maxLength: 2,
});

const episodeArb = fc.record({
  id: fc.constant('ep-1'),
  patientId: fc.constantFrom('pat-1', 'pat-1', 'pat-1', 'pat-1', 'pat-2'),
  status: fc.constantFrom<'open' | 'closed'>('open', 'open', 'open', 'open', 'closed'),
  conservativeCareStartedOn: dateArb,
  severity: fc.constantFrom('mild', 'moderate', 'severe'),
  neurologicalSigns: signsArb,
}) satisfies fc.Arbitrary<EpisodeFacts>;

const injectionsArb = fc
  .array(fc.record({ localDate: dateArb, status: statusArb }), { maxLength: 10 })
  .map((rows) => rows.map((r, k): InjectionFacts => ({ id: `inj-${k}`, ...r })));

function countedPairsTooClose(injections: readonly InjectionFacts[]): [string, string] | null {
  const counted = injections.filter((i) => i.status === 'scheduled' || i.status === 'completed');
  for (let a = 0; a < counted.length; a++) {
    for (let b = a + 1; b < counted.length; b++) {
      const x = counted[a];
      const y = counted[b];
      if (x && y && Math.abs(utcDays(x.localDate) - utcDays(y.localDate)) < 14) return [x.localDate, y.localDate];
    }
  }
  return null;
}

describe('property: accepted bookings never break R2 (or R1)', () => {
  type Op =
    | { kind: 'book'; date: string; asCompleted: boolean }
    | { kind: 'reschedule'; pick: number; date: string }
    | { kind: 'cancel' | 'no_show' | 'complete'; pick: number };

  const opArb: fc.Arbitrary<Op> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('book' as const), date: dateArb, asCompleted: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('reschedule' as const), pick: fc.nat(), date: dateArb }) },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constantFrom('cancel' as const, 'no_show' as const, 'complete' as const), pick: fc.nat() }),
    },
  );

  it('keeps every pair of counted injections at least 14 days apart and after the R1 date', () => {
    const openEpisode = episodeArb.map((e): EpisodeFacts => ({ ...e, patientId: 'pat-1', status: 'open' }));
    fc.assert(
      fc.property(openEpisode, fc.array(opArb, { minLength: 1, maxLength: 40 }), (episode, ops) => {
        const injections: InjectionFacts[] = [];
        const r1 = r1EarliestDate(episode);
        for (const op of ops) {
          if (op.kind === 'book') {
            const input: BookingInput = { patientId: 'pat-1', episode, injections, localDate: op.date };
            if (evaluateBooking(input).length === 0) {
              injections.push({ id: `i-${injections.length}`, localDate: op.date, status: op.asCompleted ? 'completed' : 'scheduled' });
            }
          } else {
            const target = injections[op.pick % Math.max(1, injections.length)];
            if (target === undefined || target.status !== 'scheduled') continue;
            if (op.kind === 'reschedule') {
              const input: BookingInput = { patientId: 'pat-1', episode, injections, localDate: op.date, excludeInjectionId: target.id };
              if (evaluateBooking(input).length === 0) target.localDate = op.date;
            } else {
              target.status = op.kind === 'complete' ? 'completed' : op.kind === 'cancel' ? 'cancelled' : 'no_show';
            }
          }
          expect(countedPairsTooClose(injections)).toBeNull();
        }
        for (const i of injections) if (isCounted(i.status) && r1 !== null) expect(i.localDate >= r1).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('property: earliestEligibleDate is the first accepted date', () => {
  const inputArb = fc.record({
    episode: fc.option(episodeArb, { freq: 10 }),
    injections: injectionsArb,
    from: dateArb,
    exclude: fc.option(fc.integer({ min: 0, max: 9 }).map((k) => `inj-${k}`)),
  });

  it('is accepted by evaluateBooking, and no date from `from` up to it is', () => {
    fc.assert(
      fc.property(inputArb, ({ episode, injections, from, exclude }) => {
        const base: BookingInput = {
          patientId: 'pat-1',
          episode,
          injections,
          localDate: from,
          ...(exclude === null ? {} : { excludeInjectionId: exclude }),
        };
        const got = earliestEligibleDate({ ...base, from });
        if (got === null) {
          expect(checkR3('pat-1', episode)).not.toBeNull();
          expect(evaluateBooking(base).map((v) => v.rule)).toContain('R3_EPISODE');
          return;
        }
        expect(got >= from).toBe(true);
        // Each counted injection can push the answer at most 27 days (from its day − 13 to day + 14).
        const r1 = episode === null ? null : r1EarliestDate(episode);
        const start = r1 !== null && r1 > from ? r1 : from;
        expect(daysBetween(start, got)).toBeLessThanOrEqual(27 * injections.length);
        expect(evaluateBooking({ ...base, localDate: got })).toEqual([]);
        for (let d = from; d < got; d = addDays(d, 1)) {
          expect(evaluateBooking({ ...base, localDate: d }).length, d).toBeGreaterThan(0);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('every violation carries that same earliest date, and R2 matches a brute-force oracle', () => {
    fc.assert(
      fc.property(inputArb, ({ episode, injections, from, exclude }) => {
        const input: BookingInput = {
          patientId: 'pat-1',
          episode,
          injections,
          localDate: from,
          ...(exclude === null ? {} : { excludeInjectionId: exclude }),
        };
        const violations = evaluateBooking(input);
        const expected = earliestEligibleDate(input);
        for (const v of violations) expect(v.earliestEligibleDate).toBe(expected);
        const clash = injections.some(
          (i) => isCounted(i.status) && i.id !== exclude && Math.abs(utcDays(i.localDate) - utcDays(from)) < 14,
        );
        expect(violations.some((v) => v.rule === 'R2_INJECTION_INTERVAL')).toBe(clash);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('property: calendar arithmetic', () => {
  it('addDays and daysBetween agree with each other and with a Date.UTC oracle', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -800, max: 800 }), (d, n) => {
        const e = addDays(d, n);
        expect(daysBetween(d, e)).toBe(n);
        expect(utcDays(e) - utcDays(d)).toBe(n);
      }),
      { numRuns: RUNS },
    );
  });

  it('localDateOf matches Intl for any instant in DST and non-DST zones', () => {
    const zones = ['America/New_York', 'Pacific/Auckland', 'Asia/Kolkata', 'Europe/London', 'Australia/Lord_Howe', 'UTC'];
    const start = Date.UTC(2026, 0, 1);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 * 366 * 24 * 60 }), fc.constantFrom(...zones), (minutes, zone) => {
        const instant = new Date(start + minutes * 60_000);
        const intl = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
        expect(localDateOf(instant, zone)).toBe(intl.format(instant));
        expect(localDateOf(instant.toISOString(), zone)).toBe(intl.format(instant));
      }),
      { numRuns: RUNS },
    );
  });
});
