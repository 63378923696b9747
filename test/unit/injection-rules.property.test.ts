import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  daysBetween,
  earliestEligibleDate,
  evaluateBooking,
  isCounted,
  localDateOf,
  r1EarliestDate,
  unclearedRedFlags,
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
const signsArb = fc.subarray<NeurologicalSign>(['numbness', 'tingling', 'weakness', 'reflex_loss', 'bowel_bladder', 'saddle_anesthesia'], {
  maxLength: 2,
});

const episodeArb = fc.record({
  id: fc.constant('ep-1'),
  patientId: fc.constantFrom('pat-1', 'pat-1', 'pat-1', 'pat-1', 'pat-2'),
  status: fc.constantFrom<'open' | 'closed'>('open', 'open', 'open', 'open', 'closed'),
  conservativeCareStartedOn: dateArb,
  severity: fc.constantFrom('mild', 'moderate', 'severe'),
  neurologicalSigns: signsArb,
  clearedRedFlags: fc.subarray<NeurologicalSign>(['bowel_bladder', 'saddle_anesthesia']),
  allowInjections: fc.option(fc.integer({ min: 3, max: 12 }), { freq: 2 }),
}) satisfies fc.Arbitrary<EpisodeFacts>;

const injectionsArb = fc
  .array(fc.record({ localDate: dateArb, status: statusArb, episodeId: fc.constantFrom('ep-1', 'ep-1', 'ep-0') }), { maxLength: 10 })
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

describe('property: whatever the API accepts keeps R1, R2, R4 and R5 by the dates given', () => {
  // The operations the API offers on one patient's bookings, judged exactly as the service judges them:
  // a booking, a move, a completion on another date than booked (the date given is the date judged,
  // excluding itself), and status moves that need no judgement.
  type Op =
    | { kind: 'book'; date: string }
    | { kind: 'reschedule'; pick: number; date: string }
    | { kind: 'complete'; pick: number; shift: number }
    | { kind: 'cancel' | 'no_show'; pick: number }
    | { kind: 'consult'; allow: number };

  const opArb: fc.Arbitrary<Op> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('book' as const), date: dateArb }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('reschedule' as const), pick: fc.nat(), date: dateArb }) },
    {
      weight: 3,
      arbitrary: fc.record({ kind: fc.constant('complete' as const), pick: fc.nat(), shift: fc.integer({ min: -20, max: 20 }) }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('cancel' as const, 'no_show' as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('consult' as const), allow: fc.integer({ min: 3, max: 12 }) }) },
  );

  it('keeps every counted pair 14+ days apart, on or after the R1 date, never past a red flag or the allowance', () => {
    const openEpisode = episodeArb.map((e): EpisodeFacts => ({ ...e, patientId: 'pat-1', status: 'open' }));
    fc.assert(
      fc.property(openEpisode, fc.array(opArb, { minLength: 1, maxLength: 40 }), (start, ops) => {
        let episode = start;
        const injections: InjectionFacts[] = [];
        const r1 = r1EarliestDate(episode);
        const accept = (localDate: string, excludeInjectionId?: string) =>
          evaluateBooking({ patientId: 'pat-1', episode, injections, localDate, excludeInjectionId }).length === 0;
        let accepted = 0;
        for (const op of ops) {
          if (op.kind === 'book') {
            if (accept(op.date)) {
              injections.push({ id: `i-${injections.length}`, episodeId: 'ep-1', localDate: op.date, status: 'scheduled' });
              accepted += 1;
            }
          } else if (op.kind === 'consult') {
            episode = { ...episode, allowInjections: op.allow };
          } else {
            const target = injections[op.pick % Math.max(1, injections.length)];
            if (target === undefined || target.status !== 'scheduled') continue;
            if (op.kind === 'reschedule') {
              if (accept(op.date, target.id)) target.localDate = op.date;
            } else if (op.kind === 'complete') {
              const given = addDays(target.localDate, op.shift);
              if (given === target.localDate || accept(given, target.id)) {
                target.localDate = given;
                target.status = 'completed';
              }
            } else {
              target.status = op.kind === 'cancel' ? 'cancelled' : 'no_show';
            }
          }
          expect(countedPairsTooClose(injections)).toBeNull();
        }
        const counted = injections.filter((i) => isCounted(i.status));
        for (const i of counted) expect(i.localDate >= r1).toBe(true);
        if (unclearedRedFlags(start).length > 0) expect(accepted).toBe(0);
        if (start.allowInjections === null && !ops.some((o) => o.kind === 'consult')) expect(counted.length).toBeLessThanOrEqual(2);
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
          // Only a rule no date can clear leaves no date: R3, R4 or R5.
          const rules = evaluateBooking(base).map((v) => v.rule);
          expect(rules.some((r) => r === 'R3_EPISODE' || r === 'R4_RED_FLAG' || r === 'R5_CONSULTATION')).toBe(true);
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
