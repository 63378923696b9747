import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import {
  RULE_PARAMETERS,
  addDays,
  canTransition,
  checkR1,
  checkR2,
  checkR3,
  daysBetween,
  earliestEligibleDate,
  evaluateBooking,
  hasR1Exemption,
  isCounted,
  isIsoDate,
  isPerformedAtValid,
  localDateOf,
  r1EarliestDate,
  withDaysSincePrevious,
} from '../../src/modules/injections/injection.rules.ts';
import type {
  BookingInput,
  EpisodeFacts,
  InjectionFacts,
  InjectionStatus,
  NeurologicalSign,
  Transition,
} from '../../src/modules/injections/injection.rules.ts';

const NY = 'America/New_York';

function episode(over: Partial<EpisodeFacts> = {}): EpisodeFacts {
  return {
    id: 'ep-1',
    patientId: 'pat-1',
    status: 'open',
    conservativeCareStartedOn: '2027-01-04',
    severity: 'moderate',
    neurologicalSigns: [],
    clearedRedFlags: [],
    allowInjections: null,
    ...over,
  };
}

/** An episode exempt from R1, so a test can look at R2 alone. */
const exempt = (over: Partial<EpisodeFacts> = {}): EpisodeFacts => episode({ severity: 'severe', ...over });

let seq = 0;
function inj(localDate: string, status: InjectionStatus = 'scheduled', id = `inj-${++seq}`): InjectionFacts {
  return { id, localDate, status };
}

function booking(over: Partial<BookingInput> = {}): BookingInput {
  return { patientId: 'pat-1', episode: exempt(), injections: [], localDate: '2027-06-01', ...over };
}

describe('calendar dates', () => {
  it('accepts only strict, real YYYY-MM-DD dates', () => {
    for (const ok of ['2027-01-01', '2028-02-29', '2027-12-31']) expect(isIsoDate(ok), ok).toBe(true);
    for (const bad of [
      '2027-02-29',
      '2027-02-30',
      '2027-13-01',
      '2027-1-01',
      '2027-01-1',
      '20270101',
      '2027-01-01T00:00',
      ' 2027-01-01',
      '2027-01-01 ',
      '+002027-01-01',
      '',
      'tomorrow',
      '2027-00-10',
    ]) {
      expect(isIsoDate(bad), bad).toBe(false);
    }
  });

  it('adds calendar days across month, year and leap-day boundaries', () => {
    expect(addDays('2027-01-31', 1)).toBe('2027-02-01');
    expect(addDays('2027-12-25', 14)).toBe('2028-01-08');
    expect(addDays('2028-02-15', 14)).toBe('2028-02-29');
    expect(addDays('2028-02-29', 14)).toBe('2028-03-14');
    expect(addDays('2027-02-15', 14)).toBe('2027-03-01');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    // DST dates in New York are ordinary calendar days here.
    expect(addDays('2027-03-08', 14)).toBe('2027-03-22');
    expect(addDays('2027-11-01', 14)).toBe('2027-11-15');
  });

  it('counts calendar days, signed, leap years included', () => {
    expect(daysBetween('2027-02-01', '2027-03-01')).toBe(28);
    expect(daysBetween('2028-02-01', '2028-03-01')).toBe(29);
    expect(daysBetween('2027-03-22', '2027-03-08')).toBe(-14);
    expect(daysBetween('2027-01-01', '2028-01-01')).toBe(365);
    expect(daysBetween('2028-01-01', '2029-01-01')).toBe(366);
    expect(daysBetween('2027-05-05', '2027-05-05')).toBe(0);
  });

  it('refuses malformed input instead of producing a wrong date', () => {
    expect(() => addDays('2027-02-30', 1)).toThrow(RangeError);
    expect(() => addDays('2027-02-01', 1.5)).toThrow(RangeError);
    expect(() => daysBetween('2027-02-01', 'soon')).toThrow(RangeError);
    expect(() => localDateOf('not an instant', NY)).toThrow(RangeError);
    expect(() => localDateOf(new Date('2027-03-01T00:00:00Z'), 'Mars/Olympus')).toThrow(RangeError);
    expect(() => localDateOf(new Date(Number.NaN), NY)).toThrow(RangeError);
  });
});

describe('localDateOf (clinic zone, DST)', () => {
  it('uses the clinic date, not the UTC date', () => {
    // 03:30Z on 1 March is 22:30 EST on 28 February.
    expect(localDateOf('2027-03-01T03:30:00Z', NY)).toBe('2027-02-28');
    expect(localDateOf(new Date('2027-03-01T03:30:00Z'), NY)).toBe('2027-02-28');
    expect(localDateOf('2027-03-01T05:00:00Z', NY)).toBe('2027-03-01');
    expect(localDateOf('2027-03-01T03:30:00Z', 'UTC')).toBe('2027-03-01');
  });

  it('handles the spring-forward day 2027-03-14 in New York (a 23-hour day)', () => {
    expect(localDateOf('2027-03-14T04:59:59Z', NY)).toBe('2027-03-13'); // 23:59:59 EST
    expect(localDateOf('2027-03-14T05:00:00Z', NY)).toBe('2027-03-14'); // 00:00 EST
    expect(localDateOf('2027-03-14T07:00:00Z', NY)).toBe('2027-03-14'); // 03:00 EDT, clocks jumped
    expect(localDateOf('2027-03-15T03:59:59Z', NY)).toBe('2027-03-14'); // 23:59:59 EDT
    expect(localDateOf('2027-03-15T04:00:00Z', NY)).toBe('2027-03-15'); // midnight is now 04:00Z
  });

  it('handles the fall-back day 2027-11-07 in New York (a 25-hour day)', () => {
    expect(localDateOf('2027-11-07T03:59:59Z', NY)).toBe('2027-11-06'); // 23:59:59 EDT
    expect(localDateOf('2027-11-07T04:00:00Z', NY)).toBe('2027-11-07'); // 00:00 EDT
    expect(localDateOf('2027-11-07T05:30:00Z', NY)).toBe('2027-11-07'); // 01:30 EDT
    expect(localDateOf('2027-11-07T06:30:00Z', NY)).toBe('2027-11-07'); // 01:30 EST, the repeated hour
    expect(localDateOf('2027-11-08T04:30:00Z', NY)).toBe('2027-11-07'); // 23:30 EST
    expect(localDateOf('2027-11-08T05:00:00Z', NY)).toBe('2027-11-08'); // midnight is now 05:00Z
  });

  it('reads offset strings as instants and naive strings as clinic time', () => {
    expect(localDateOf('2027-03-08T23:30:00-08:00', NY)).toBe('2027-03-09'); // 02:30 EST next day
    expect(localDateOf('2027-03-08T23:30:00', NY)).toBe('2027-03-08');
  });

  it('works in zones ahead of UTC: Pacific/Auckland and Asia/Kolkata', () => {
    expect(localDateOf('2027-03-01T12:00:00Z', 'Pacific/Auckland')).toBe('2027-03-02'); // NZDT +13
    expect(localDateOf('2027-03-01T10:59:59Z', 'Pacific/Auckland')).toBe('2027-03-01');
    expect(localDateOf('2027-06-30T12:30:00Z', 'Pacific/Auckland')).toBe('2027-07-01'); // NZST +12
    expect(localDateOf('2027-06-30T11:30:00Z', 'Pacific/Auckland')).toBe('2027-06-30');
    // Auckland's autumn change (2027-04-04 03:00 NZDT -> 02:00 NZST) repeats an hour, same date.
    expect(localDateOf('2027-04-03T13:30:00Z', 'Pacific/Auckland')).toBe('2027-04-04'); // 02:30 NZDT
    expect(localDateOf('2027-04-03T14:30:00Z', 'Pacific/Auckland')).toBe('2027-04-04'); // 02:30 NZST
    expect(localDateOf('2027-03-01T18:29:59Z', 'Asia/Kolkata')).toBe('2027-03-01'); // 23:59:59 IST
    expect(localDateOf('2027-03-01T18:30:00Z', 'Asia/Kolkata')).toBe('2027-03-02'); // half-hour offset
  });
});

describe('R1 conservative trial', () => {
  const e = episode({ conservativeCareStartedOn: '2027-01-04' });

  it('refuses day 41 and accepts day 42 after conservative care started', () => {
    expect(r1EarliestDate(e)).toBe('2027-02-15');
    const v = checkR1(e, addDays('2027-01-04', 41));
    expect(v?.rule).toBe('R1_CONSERVATIVE_TRIAL');
    expect(v?.until).toBe('2027-02-15');
    expect(v?.earliestEligibleDate).toBeNull();
    expect(checkR1(e, addDays('2027-01-04', 42))).toBeNull();
    expect(checkR1(e, '2027-01-04')).not.toBeNull();
    expect(checkR1(e, '2026-12-01')).not.toBeNull(); // before care even started
  });

  it('explains the rule in front-desk English', () => {
    expect(checkR1(e, '2027-02-01')?.message).toBe(
      'First injection for this episode must be on or after 2027-02-15: 6 weeks of conservative care ' +
        '(started 2027-01-04) are required unless the episode is severe or has neurological signs.',
    );
  });

  it('counts 42 calendar days across a leap day', () => {
    const leap = episode({ conservativeCareStartedOn: '2028-02-01' });
    expect(r1EarliestDate(leap)).toBe('2028-03-14');
    expect(checkR1(leap, '2028-03-13')).not.toBeNull();
    expect(checkR1(leap, '2028-03-14')).toBeNull();
  });

  it('is waived for a severe episode', () => {
    const severe = episode({ severity: 'severe' });
    expect(hasR1Exemption(severe)).toBe(true);
    // Exempt, the first allowed date is the start of conservative care itself.
    expect(r1EarliestDate(severe)).toBe('2027-01-04');
    expect(checkR1(severe, '2027-01-04')).toBeNull();
  });

  it.each<NeurologicalSign>(['numbness', 'tingling', 'weakness', 'reflex_loss'])('is waived when the episode records %s', (sign) => {
    const withSign = episode({ severity: 'mild', neurologicalSigns: [sign] });
    expect(hasR1Exemption(withSign)).toBe(true);
    expect(checkR1(withSign, '2027-01-05')).toBeNull();
  });

  it.each(['mild', 'moderate'] as const)('applies to a %s episode without neurological signs', (severity) => {
    const plain = episode({ severity, neurologicalSigns: [] });
    expect(hasR1Exemption(plain)).toBe(false);
    expect(checkR1(plain, '2027-02-14')?.until).toBe('2027-02-15');
    expect(checkR1(plain, '2027-02-15')).toBeNull();
  });
});

describe('R2 interval', () => {
  const base = '2027-03-01';

  it.each([
    ['after', 13, false],
    ['after', 14, true],
    ['before', 13, false],
    ['before', 14, true],
  ] as const)('a booking %s an existing one by %i days: accepted=%s', (dir, days, ok) => {
    const date = addDays(base, dir === 'after' ? days : -days);
    const v = checkR2([inj(base)], date);
    expect(v === null).toBe(ok);
  });

  it('reports the conflicting date, the gap and when it clears', () => {
    const v = checkR2([inj('2027-03-01', 'scheduled')], '2027-02-16');
    expect(v).toEqual({
      rule: 'R2_INJECTION_INTERVAL',
      message: 'Another injection is scheduled on 2027-03-01 (13 days away); injections must be at least 14 days apart.',
      earliestEligibleDate: null,
      until: '2027-03-15',
    });
    expect(checkR2([inj('2027-03-01', 'completed')], '2027-03-02')?.message).toBe(
      'Another injection was given on 2027-03-01 (1 day away); injections must be at least 14 days apart.',
    );
    expect(checkR2([inj('2027-03-01')], '2027-03-01')?.message).toContain('(the same day)');
  });

  it('counts completed injections as well as scheduled ones', () => {
    expect(checkR2([inj(base, 'completed')], addDays(base, 13))).not.toBeNull();
  });

  it.each(['cancelled', 'no_show'] as const)('ignores %s injections', (status) => {
    expect(checkR2([inj(base, status)], base)).toBeNull();
    expect(checkR2([inj(base, status)], addDays(base, 1))).toBeNull();
  });

  it('excludes the injection being rescheduled', () => {
    const moving = inj('2027-03-01', 'scheduled', 'moving');
    expect(checkR2([moving], '2027-03-05')).not.toBeNull();
    expect(checkR2([moving], '2027-03-05', 'moving')).toBeNull();
    // ...but not the others.
    const other = inj('2027-03-10', 'scheduled', 'other');
    expect(checkR2([moving, other], '2027-03-05', 'moving')?.until).toBe('2027-03-24');
  });

  it('a booking between two existing injections must clear both', () => {
    const a = inj('2027-03-01');
    const b = inj('2027-03-29'); // 28 days later: exactly one middle day fits
    expect(checkR2([a, b], '2027-03-15')).toBeNull();
    const nearA = checkR2([a, b], '2027-03-14');
    expect(nearA?.until).toBe('2027-03-15');
    const nearB = checkR2([a, b], '2027-03-16');
    expect(nearB?.until).toBe('2027-04-12');
    const tight = [inj('2027-03-01'), inj('2027-03-28')]; // 27 days: nothing in between fits
    for (let d = 1; d < 27; d++) {
      const v = checkR2(tight, addDays('2027-03-01', d));
      expect(v, `day ${d}`).not.toBeNull();
    }
    // In a 27-day gap each day is blocked by one neighbour or the other, never cleared by both.
    expect(checkR2(tight, '2027-03-14')?.until).toBe('2027-03-15');
    expect(checkR2(tight, '2027-03-15')?.until).toBe('2027-04-11');
  });

  it('names every conflicting date and clears after the latest', () => {
    const v = checkR2([inj('2027-03-01'), inj('2027-03-10')], '2027-03-05');
    expect(v?.message).toBe(
      'Other injections are on 2027-03-01 (4 days away) and 2027-03-10 (5 days away); injections must be at least 14 days apart.',
    );
    expect(v?.until).toBe('2027-03-24');
  });

  it('crosses a leap day by calendar days', () => {
    expect(checkR2([inj('2028-02-20')], '2028-03-05')).toBeNull(); // 9 + 5 = 14
    expect(checkR2([inj('2028-02-20')], '2028-03-04')).not.toBeNull();
    expect(checkR2([inj('2028-02-29')], '2028-03-14')).toBeNull();
    expect(checkR2([inj('2028-02-29')], '2028-03-13')).not.toBeNull();
  });
});

describe('R2 across DST: judged by clinic calendar dates, never 24-hour blocks', () => {
  const hoursBetween = (a: string, b: string): number => (Date.parse(b) - Date.parse(a)) / 3_600_000;

  it('14 calendar days across spring-forward pass even though only 335 hours elapse', () => {
    const first = '2027-03-08T09:00:00-05:00';
    const second = '2027-03-22T09:00:00-04:00';
    expect(hoursBetween(first, second)).toBe(335); // 14 × 24 − 1: short of 14 "days" of hours
    const d1 = localDateOf(first, NY);
    const d2 = localDateOf(second, NY);
    expect([d1, d2]).toEqual(['2027-03-08', '2027-03-22']);
    expect(daysBetween(d1, d2)).toBe(14);
    expect(checkR2([inj(d1)], d2)).toBeNull();
    expect(checkR2([inj(d2)], d1)).toBeNull();
  });

  it('13 calendar days fail even when 13 days 22 hours elapse', () => {
    const first = '2027-10-25T01:00:00-04:00'; // EDT
    const second = '2027-11-07T22:00:00-05:00'; // EST, after fall-back
    expect(hoursBetween(first, second)).toBe(13 * 24 + 22); // rounds to 14 "days" of hours
    const d1 = localDateOf(first, NY);
    const d2 = localDateOf(second, NY);
    expect([d1, d2]).toEqual(['2027-10-25', '2027-11-07']);
    expect(daysBetween(d1, d2)).toBe(13);
    expect(checkR2([inj(d1)], d2)).not.toBeNull();
    expect(checkR2([inj(d2)], d1)).not.toBeNull();
  });

  it('13 calendar days fail even when more than 14 × 24 hours elapse (fall-back adds an hour)', () => {
    const first = '2027-10-25T00:05:00-04:00';
    const second = '2027-11-07T23:55:00-05:00';
    expect(hoursBetween(first, second)).toBeGreaterThan(14 * 24); // 336 h 50 min
    const d1 = localDateOf(first, NY);
    const d2 = localDateOf(second, NY);
    expect(daysBetween(d1, d2)).toBe(13);
    expect(checkR2([inj(d1)], d2)).not.toBeNull();
  });

  it('the same instant can be different clinic dates in different zones', () => {
    // 11:30Z is 07:30 EDT on 14 March in New York but 00:30 NZDT on 15 March in Auckland.
    expect(localDateOf('2027-03-14T11:30:00Z', 'Pacific/Auckland')).toBe('2027-03-15');
    expect(localDateOf('2027-03-14T11:30:00Z', NY)).toBe('2027-03-14');
  });
});

describe('R3 episode', () => {
  it('requires an episode', () => {
    const v = checkR3('pat-1', null);
    expect(v?.rule).toBe('R3_EPISODE');
    expect(v?.until).toBeNull();
    expect(v?.message).toMatch(/open episode/);
  });

  it("refuses another patient's episode", () => {
    expect(checkR3('pat-1', episode({ patientId: 'pat-2' }))?.message).toMatch(/different patient/);
  });

  it('refuses a closed episode and accepts an open one of the same patient', () => {
    expect(checkR3('pat-1', episode({ status: 'closed' }))?.message).toMatch(/closed/);
    expect(checkR3('pat-1', episode())).toBeNull();
  });
});

describe('evaluateBooking', () => {
  it('accepts a booking that passes every rule', () => {
    expect(evaluateBooking(booking({ injections: [inj('2027-05-01')] }))).toEqual([]);
  });

  it('lists R3 first, then R1, then R2, each with the earliest eligible date', () => {
    const e = episode({ conservativeCareStartedOn: '2027-01-04' });
    const vs = evaluateBooking(booking({ episode: e, localDate: '2027-02-10', injections: [inj('2027-02-20')] }));
    expect(vs.map((v) => v.rule)).toEqual(['R1_CONSERVATIVE_TRIAL', 'R2_INJECTION_INTERVAL']);
    // R1 clears on 02-15, but 02-20 is scheduled: the first date clearing both is 03-06.
    for (const v of vs) expect(v.earliestEligibleDate).toBe('2027-03-06');
    expect(vs[0]?.until).toBe('2027-02-15');
    expect(vs[1]?.until).toBe('2027-03-06');
  });

  it('reports R3 with no possible date and does not judge R1 against an unusable episode', () => {
    const e = episode({ status: 'closed', conservativeCareStartedOn: '2027-01-04' });
    const vs = evaluateBooking(booking({ episode: e, localDate: '2027-01-10', injections: [inj('2027-01-12')] }));
    expect(vs.map((v) => v.rule)).toEqual(['R3_EPISODE', 'R2_INJECTION_INTERVAL']);
    for (const v of vs) expect(v.earliestEligibleDate).toBeNull();
    expect(evaluateBooking(booking({ episode: null })).map((v) => v.rule)).toEqual(['R3_EPISODE']);
  });

  it('re-checks a reschedule without counting the injection itself', () => {
    const self = inj('2027-06-01', 'scheduled', 'self');
    const input = booking({ injections: [self], localDate: '2027-06-05' });
    expect(evaluateBooking(input)).toHaveLength(1);
    expect(evaluateBooking({ ...input, excludeInjectionId: 'self' })).toEqual([]);
  });

  it('applies the same rules to dates in the past', () => {
    const vs = evaluateBooking(
      booking({
        episode: exempt({ conservativeCareStartedOn: '2019-10-01' }),
        localDate: '2020-01-10',
        injections: [inj('2020-01-01', 'completed')],
      }),
    );
    expect(vs.map((v) => v.rule)).toEqual(['R2_INJECTION_INTERVAL']);
    expect(vs[0]?.earliestEligibleDate).toBe('2020-01-15');
  });
});

describe('earliestEligibleDate', () => {
  it('is the date itself when it already passes', () => {
    expect(earliestEligibleDate(booking({ localDate: '2027-06-01' }))).toBe('2027-06-01');
  });

  it('uses `from` instead of the requested date when given', () => {
    expect(earliestEligibleDate({ ...booking({ localDate: '2027-06-01' }), from: '2027-07-01' })).toBe('2027-07-01');
  });

  it('finds the single middle day of a 28-day gap', () => {
    const injections = [inj('2027-03-01'), inj('2027-03-29')];
    expect(earliestEligibleDate(booking({ injections, localDate: '2027-03-02' }))).toBe('2027-03-15');
  });

  it('skips a 27-day gap entirely', () => {
    const injections = [inj('2027-03-01'), inj('2027-03-28')];
    expect(earliestEligibleDate(booking({ injections, localDate: '2027-03-02' }))).toBe('2027-04-11');
  });

  it('jumps a chain of future bookings to the first wide-enough gap', () => {
    const injections = [
      inj('2027-08-01'),
      inj('2027-08-20'),
      inj('2027-09-05'),
      inj('2027-09-22'), // gaps 19, 16, 17
      inj('2027-10-20'), // 28 after 09-22: 10-06 fits
      inj('2027-07-01', 'cancelled'),
      inj('2027-10-06', 'no_show'), // ignored
    ];
    expect(earliestEligibleDate(booking({ injections, localDate: '2027-07-25' }))).toBe('2027-10-06');
    // Ahead of the chain with room before it: the requested date stands.
    expect(earliestEligibleDate(booking({ injections, localDate: '2027-07-18' }))).toBe('2027-07-18');
    expect(earliestEligibleDate(booking({ injections, localDate: '2027-07-19' }))).toBe('2027-10-06');
  });

  it('combines R1 and R2', () => {
    const e = episode({ conservativeCareStartedOn: '2027-01-04' }); // R1 clears 2027-02-15
    expect(earliestEligibleDate(booking({ episode: e, localDate: '2027-01-10' }))).toBe('2027-02-15');
    const injections = [inj('2027-02-10', 'completed')]; // e.g. given elsewhere, recorded late
    expect(earliestEligibleDate(booking({ episode: e, injections, localDate: '2027-01-10' }))).toBe('2027-02-24');
    const later = [inj('2027-02-20')];
    expect(earliestEligibleDate(booking({ episode: e, injections: later, localDate: '2027-01-10' }))).toBe('2027-03-06');
  });

  it('lands on a leap day when that is the first clear date', () => {
    expect(earliestEligibleDate(booking({ injections: [inj('2028-02-15')], localDate: '2028-02-16' }))).toBe('2028-02-29');
    expect(earliestEligibleDate(booking({ injections: [inj('2028-02-29')], localDate: '2028-03-01' }))).toBe('2028-03-14');
  });

  it('respects excludeInjectionId', () => {
    const injections = [inj('2027-03-01', 'scheduled', 'me')];
    const input = booking({ injections, localDate: '2027-03-05' });
    expect(earliestEligibleDate(input)).toBe('2027-03-15');
    expect(earliestEligibleDate({ ...input, excludeInjectionId: 'me' })).toBe('2027-03-05');
  });

  it('is null when R3 fails: closed, missing or foreign episode', () => {
    expect(earliestEligibleDate(booking({ episode: episode({ status: 'closed' }) }))).toBeNull();
    expect(earliestEligibleDate(booking({ episode: null }))).toBeNull();
    expect(earliestEligibleDate(booking({ episode: exempt({ patientId: 'pat-2' }) }))).toBeNull();
  });

  it('handles thousands of bookings without walking day by day', () => {
    // 3000 injections every 14 days (no gap fits) then a free tail: the answer is after the last one.
    const injections = Array.from({ length: 3000 }, (_, k) => inj(addDays('2027-01-01', 14 * k)));
    const start = performance.now();
    const got = earliestEligibleDate(booking({ injections, localDate: '2027-01-02' }));
    expect(got).toBe(addDays('2027-01-01', 14 * 3000));
    expect(performance.now() - start).toBeLessThan(2000);
  });
});

describe('status transitions', () => {
  const table: Record<InjectionStatus, Transition[]> = {
    scheduled: ['complete', 'cancel', 'no_show', 'reschedule'],
    completed: ['outcome'],
    cancelled: [],
    no_show: [],
  };
  const all: Transition[] = ['complete', 'cancel', 'no_show', 'reschedule', 'outcome'];
  for (const [status, allowed] of Object.entries(table) as [InjectionStatus, Transition[]][]) {
    for (const t of all) {
      it(`${status} --${t}--> ${allowed.includes(t) ? 'allowed' : 'refused'}`, () => {
        expect(canTransition(status, t)).toBe(allowed.includes(t));
      });
    }
  }

  it('counts only scheduled and completed injections', () => {
    expect(isCounted('scheduled')).toBe(true);
    expect(isCounted('completed')).toBe(true);
    expect(isCounted('cancelled')).toBe(false);
    expect(isCounted('no_show')).toBe(false);
  });
});

describe('withDaysSincePrevious', () => {
  it('measures from the previous scheduled/completed injection, skipping cancelled and no-shows', () => {
    const rows = [
      { ...inj('2027-01-01', 'completed'), level: 'L4-L5' },
      { ...inj('2027-01-10', 'cancelled'), level: 'L4-L5' },
      { ...inj('2027-01-20', 'no_show'), level: 'L4-L5' },
      { ...inj('2027-02-01', 'completed'), level: 'L5-S1' },
      { ...inj('2027-03-15', 'scheduled'), level: 'L5-S1' },
    ];
    const out = withDaysSincePrevious(rows);
    expect(out.map((r) => r.daysSincePrevious)).toEqual([null, null, null, 31, 42]);
    expect(out[3]?.level).toBe('L5-S1'); // extra fields kept
  });

  it('gives null to the first counted row even after non-counted ones, and handles empty input', () => {
    const out = withDaysSincePrevious([inj('2027-01-01', 'cancelled'), inj('2027-01-05', 'scheduled')]);
    expect(out.map((r) => r.daysSincePrevious)).toEqual([null, null]);
    expect(withDaysSincePrevious([])).toEqual([]);
  });
});

describe('isPerformedAtValid', () => {
  const now = new Date('2027-03-14T15:00:00Z');
  it('accepts the past and now, tolerates 60 s of clock skew, refuses the future', () => {
    expect(isPerformedAtValid(new Date('2027-03-14T09:00:00Z'), now)).toBe(true);
    expect(isPerformedAtValid(now, now)).toBe(true);
    expect(isPerformedAtValid(new Date(now.getTime() + 60_000), now)).toBe(true);
    expect(isPerformedAtValid(new Date(now.getTime() + 60_001), now)).toBe(false);
    expect(isPerformedAtValid(new Date('2027-03-15T09:00:00Z'), now)).toBe(false);
    expect(isPerformedAtValid(new Date(Number.NaN), now)).toBe(false);
  });
});

describe('rule parameters and purity', () => {
  it('uses the 42-day trial and the 14-day interval of the spec', () => {
    expect(RULE_PARAMETERS).toEqual({
      conservativeTrialDays: 42,
      minIntervalDays: 14,
      injectionsWithoutConsultation: 2,
      minConsultationAllowance: 3,
      maxConsultationAllowance: 12,
    });
  });

  it.each(['injection.rules.ts', 'flags.rules.ts', 'anatomy.rules.ts'])('%s imports only luxon and its pure siblings', (file) => {
    const src = readFileSync(new URL(`../../src/modules/injections/${file}`, import.meta.url), 'utf8');
    const imports = [...src.matchAll(/^import\s+(type\s+)?[^'"]*from\s+'([^']+)'/gm)].map((m) => ({
      typeOnly: m[1] !== undefined,
      from: m[2],
    }));
    for (const i of imports) {
      const allowed = i.from === 'luxon' || /^\.\/[a-z-]+\.rules\.ts$/.test(i.from ?? '');
      expect(allowed, `${file} imports ${i.from}`).toBe(true);
    }
    expect(src).not.toMatch(/process\.env|Date\.now\(|new Date\(\)/);
  });
});
