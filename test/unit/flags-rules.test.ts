import { describe, it, expect } from 'vitest';
import { clinicalFlags } from '../../src/modules/injections/flags.rules.ts';
import type { ClinicalFlag, FlagInjection, FlagInput } from '../../src/modules/injections/flags.rules.ts';
import { addDays } from '../../src/modules/injections/injection.rules.ts';
import type { EpisodeFacts, InjectionStatus } from '../../src/modules/injections/injection.rules.ts';

type Region = FlagInjection['region'];
const TODAY = '2027-06-01';

function openEpisode(over: Partial<EpisodeFacts & { region: Region }> = {}): EpisodeFacts & { region: Region } {
  return {
    id: 'ep-open',
    patientId: 'pat-1',
    status: 'open',
    conservativeCareStartedOn: '2027-01-04',
    severity: 'moderate',
    neurologicalSigns: [],
    clearedRedFlags: [],
    allowInjections: null,
    region: 'lumbar',
    ...over,
  };
}

let seq = 0;
function shot(
  localDate: string,
  status: InjectionStatus,
  percentImprovement: number | null = null,
  over: Partial<FlagInjection> = {},
): FlagInjection {
  // An outcome assessed two weeks after the injection, so it counts for the flags.
  const assessedOn = percentImprovement === null ? null : addDays(localDate, 14);
  return { id: `i-${++seq}`, episodeId: 'ep-open', region: 'lumbar', localDate, status, percentImprovement, assessedOn, ...over };
}

function flagsOf(input: Partial<FlagInput>): ClinicalFlag[] {
  return clinicalFlags({ openEpisode: openEpisode(), injections: [], today: TODAY, ...input }).map((f) => f.flag);
}

describe('SECOND_INJECTION_SUGGESTED', () => {
  it.each([
    [49, false],
    [50, true],
    [75, true],
    [99, true],
    [100, false],
    [0, false],
  ])('one completed injection that improved %i%%: suggested=%s', (pct, expected) => {
    expect(flagsOf({ injections: [shot('2027-05-01', 'completed', pct)] }).includes('SECOND_INJECTION_SUGGESTED')).toBe(expected);
  });

  it('says which injection and how much it helped', () => {
    const [f] = clinicalFlags({ openEpisode: openEpisode(), injections: [shot('2027-05-01', 'completed', 60)], today: TODAY });
    expect(f?.flag).toBe('SECOND_INJECTION_SUGGESTED');
    expect(f?.message).toContain('2027-05-01');
    expect(f?.message).toContain('60%');
  });

  it('needs a recorded outcome', () => {
    expect(flagsOf({ injections: [shot('2027-05-01', 'completed', null)] })).toEqual([]);
  });

  it('is not shown once a second injection is booked after it', () => {
    const injections = [shot('2027-05-01', 'completed', 60), shot('2027-05-20', 'scheduled')];
    expect(flagsOf({ injections })).not.toContain('SECOND_INJECTION_SUGGESTED');
  });

  it('is still shown when the follow-up was cancelled or missed', () => {
    const injections = [shot('2027-05-01', 'completed', 60), shot('2027-05-20', 'cancelled'), shot('2027-05-27', 'no_show')];
    expect(flagsOf({ injections })).toEqual(['SECOND_INJECTION_SUGGESTED']);
  });

  it('is not shown with two completed injections in the episode', () => {
    const injections = [shot('2027-03-01', 'completed', 60), shot('2027-04-01', 'completed', 70)];
    expect(flagsOf({ injections })).not.toContain('SECOND_INJECTION_SUGGESTED');
  });

  it("ignores other episodes' injections and needs an open episode", () => {
    const elsewhere = shot('2027-05-01', 'completed', 60, { episodeId: 'ep-old' });
    expect(flagsOf({ injections: [elsewhere] })).toEqual([]);
    const mine = [shot('2027-05-01', 'completed', 60)];
    expect(flagsOf({ openEpisode: null, injections: mine })).toEqual([]);
    expect(flagsOf({ openEpisode: openEpisode({ status: 'closed' }), injections: mine })).toEqual([]);
  });
});

describe('ADDITIONAL_INJECTION_CONSULT', () => {
  it('is not shown with one counted injection', () => {
    expect(flagsOf({ injections: [shot('2027-05-01', 'scheduled')] })).toEqual([]);
  });

  it.each([
    ['completed', 'completed'],
    ['completed', 'scheduled'],
    ['scheduled', 'scheduled'],
  ] as const)('is shown with two counted injections (%s + %s): the next would be the third', (a, b) => {
    const injections = [shot('2027-04-01', a, 20), shot('2027-05-01', b)];
    expect(flagsOf({ injections })).toContain('ADDITIONAL_INJECTION_CONSULT');
  });

  it('stays shown once a third is booked, and names the count', () => {
    const injections = [shot('2027-03-01', 'completed'), shot('2027-04-01', 'completed'), shot('2027-05-01', 'scheduled')];
    const f = clinicalFlags({ openEpisode: openEpisode(), injections, today: TODAY }).find(
      (x) => x.flag === 'ADDITIONAL_INJECTION_CONSULT',
    );
    expect(f?.message).toContain('3 injections');
  });

  it('does not count cancelled, no-show or other episodes', () => {
    const injections = [
      shot('2027-03-01', 'completed'),
      shot('2027-04-01', 'cancelled'),
      shot('2027-04-15', 'no_show'),
      shot('2027-05-01', 'completed', null, { episodeId: 'ep-old' }),
    ];
    expect(flagsOf({ injections })).not.toContain('ADDITIONAL_INJECTION_CONSULT');
  });
});

describe('ANNUAL_LIMIT (one more in the region today would be the fifth within 365 days)', () => {
  // Four injections spaced 20 days apart, in other (closed) episodes so only this flag can appear.
  const four = (firstDate: string, region: Region = 'lumbar', status: InjectionStatus = 'completed'): FlagInjection[] =>
    [0, 20, 40, 60].map((k) => shot(addDays(firstDate, k), status, null, { region, episodeId: `ep-${region}` }));

  it('three in a year is fine; four is flagged', () => {
    expect(flagsOf({ injections: four('2027-01-01').slice(0, 3) })).toEqual([]);
    expect(flagsOf({ injections: four('2027-01-01') })).toEqual(['ANNUAL_LIMIT']);
  });

  it('counts scheduled injections in the future as well', () => {
    expect(flagsOf({ injections: four('2027-07-01', 'lumbar', 'scheduled') })).toEqual(['ANNUAL_LIMIT']);
  });

  it('drops off when the oldest is 365 days before today (day 364 still counts)', () => {
    // Oldest at today − 364 and three more: today would be the fifth within [today − 364, today].
    const within = [shot(addDays(TODAY, -364), 'completed', null, { episodeId: 'x' }), ...four('2027-02-01').slice(1)];
    expect(flagsOf({ injections: within })).toEqual(['ANNUAL_LIMIT']);
    const outside = [shot(addDays(TODAY, -365), 'completed', null, { episodeId: 'x' }), ...four('2027-02-01').slice(1)];
    expect(flagsOf({ injections: outside })).toEqual([]);
  });

  it('looks ahead the same way: scheduled at today + 364 counts, + 365 does not', () => {
    const base = four('2027-09-01', 'lumbar', 'scheduled').slice(0, 3);
    expect(flagsOf({ injections: [...base, shot(addDays(TODAY, 364), 'scheduled', null, { episodeId: 'x' })] })).toEqual(['ANNUAL_LIMIT']);
    expect(flagsOf({ injections: [...base, shot(addDays(TODAY, 365), 'scheduled', null, { episodeId: 'x' })] })).toEqual([]);
  });

  it('needs the four within one 365-day window, not merely within two years of today', () => {
    // Two at today − 300/−280 and two at today + 100/+120: spans 420 days, so today makes at most 4.
    const spread = [-300, -280, 100, 120].map((k) => shot(addDays(TODAY, k), k < 0 ? 'completed' : 'scheduled', null, { episodeId: 'x' }));
    expect(flagsOf({ injections: spread })).toEqual([]);
    // Pull one in so that four span 364 days: −244, −200 (moved), 100, 120 → 364 days first to last.
    const tight = [-244, -200, 100, 120].map((k) => shot(addDays(TODAY, k), 'completed', null, { episodeId: 'x' }));
    expect(flagsOf({ injections: tight })).toEqual(['ANNUAL_LIMIT']);
    const loose = [-245, -200, 100, 120].map((k) => shot(addDays(TODAY, k), 'completed', null, { episodeId: 'x' }));
    expect(flagsOf({ injections: loose })).toEqual([]);
  });

  it('is per region', () => {
    const mixed = [...four('2027-01-01', 'lumbar').slice(0, 2), ...four('2027-03-01', 'cervical').slice(0, 2)];
    expect(flagsOf({ injections: mixed })).toEqual([]);
    const [f] = clinicalFlags({ openEpisode: openEpisode(), injections: four('2027-01-01', 'cervical'), today: TODAY });
    expect(f?.message).toContain('cervical');
  });

  it('names both regions once when two regions are at the limit', () => {
    const flags = clinicalFlags({
      openEpisode: openEpisode(),
      injections: [...four('2027-01-01', 'lumbar'), ...four('2027-02-01', 'thoracic')],
      today: TODAY,
    });
    expect(flags.map((f) => f.flag)).toEqual(['ANNUAL_LIMIT']);
    expect(flags[0]?.message).toMatch(/lumbar.*thoracic/);
  });

  it('ignores cancelled and no-show injections', () => {
    const injections = [...four('2027-01-01').slice(0, 3), shot('2027-04-01', 'cancelled', null, { episodeId: 'x' })];
    expect(flagsOf({ injections })).toEqual([]);
    injections.push(shot('2027-04-20', 'no_show', null, { episodeId: 'x' }));
    expect(flagsOf({ injections })).toEqual([]);
  });

  it('is shown even without an open episode', () => {
    expect(flagsOf({ openEpisode: null, injections: four('2027-01-01') })).toEqual(['ANNUAL_LIMIT']);
  });

  it('counts across the leap year by calendar days', () => {
    // With 2028-02-29 in between, 2027-03-01 is already 365 days back (out); 2027-03-02 is 364 (in).
    const today = '2028-02-29';
    const injections = ['2027-03-01', '2027-06-01', '2027-09-01', '2028-01-01'].map((d) => shot(d, 'completed', null, { episodeId: 'x' }));
    expect(clinicalFlags({ openEpisode: null, injections, today })).toEqual([]);
    const injections2 = ['2027-03-02', '2027-06-01', '2027-09-01', '2028-01-01'].map((d) => shot(d, 'completed', null, { episodeId: 'x' }));
    expect(clinicalFlags({ openEpisode: null, injections: injections2, today }).map((f) => f.flag)).toEqual(['ANNUAL_LIMIT']);
  });
});

describe('SURGICAL_REVIEW', () => {
  it.each([
    [49, 49, true],
    [0, 30, true],
    [49, 50, false],
    [50, 49, false],
  ])('two completed injections improving %i%% and %i%%: review=%s', (a, b, expected) => {
    const injections = [shot('2027-03-01', 'completed', a), shot('2027-04-01', 'completed', b)];
    expect(flagsOf({ injections }).includes('SURGICAL_REVIEW')).toBe(expected);
  });

  it('one poor response is not enough', () => {
    expect(flagsOf({ injections: [shot('2027-03-01', 'completed', 10)] })).toEqual([]);
  });

  it('uses the two most recent completed injections with an outcome', () => {
    const earlyGood = [
      shot('2027-01-01', 'completed', 80),
      shot('2027-02-01', 'completed', 30),
      shot('2027-03-01', 'completed', null), // not yet assessed: skipped
      shot('2027-04-01', 'completed', 20),
    ];
    expect(flagsOf({ injections: earlyGood })).toContain('SURGICAL_REVIEW');
    const lateGood = [shot('2027-01-01', 'completed', 30), shot('2027-02-01', 'completed', 20), shot('2027-04-01', 'completed', 70)];
    expect(flagsOf({ injections: lateGood })).not.toContain('SURGICAL_REVIEW');
  });

  it('judges by date, whatever order the rows arrive in', () => {
    const injections = [shot('2027-04-01', 'completed', 20), shot('2027-01-01', 'completed', 80), shot('2027-02-01', 'completed', 30)];
    expect(flagsOf({ injections })).toContain('SURGICAL_REVIEW');
  });

  it('only counts injections of the open episode', () => {
    const injections = [shot('2027-03-01', 'completed', 10), shot('2027-04-01', 'completed', 10, { episodeId: 'ep-old' })];
    expect(flagsOf({ injections })).not.toContain('SURGICAL_REVIEW');
  });
});

describe('URGENT_SURGICAL_REVIEW', () => {
  it.each(['weakness', 'bowel_bladder'] as const)('is shown when the open episode records %s', (sign) => {
    expect(flagsOf({ openEpisode: openEpisode({ neurologicalSigns: ['numbness', sign] }) })).toEqual(['URGENT_SURGICAL_REVIEW']);
  });

  it.each(['numbness', 'tingling', 'reflex_loss'] as const)('is not shown for %s alone', (sign) => {
    expect(flagsOf({ openEpisode: openEpisode({ neurologicalSigns: [sign] }) })).toEqual([]);
  });

  it('is not shown for a severe episode without those signs, nor for a closed episode', () => {
    expect(flagsOf({ openEpisode: openEpisode({ severity: 'severe' }) })).toEqual([]);
    expect(flagsOf({ openEpisode: openEpisode({ status: 'closed', neurologicalSigns: ['weakness'] }) })).toEqual([]);
  });

  it('names the red flag in the message', () => {
    const [f] = clinicalFlags({
      openEpisode: openEpisode({ neurologicalSigns: ['bowel_bladder'] }),
      injections: [],
      today: TODAY,
    });
    expect(f?.message).toContain('bowel or bladder dysfunction');
  });
});

describe('clinicalFlags overall', () => {
  it('returns nothing for a new patient', () => {
    expect(clinicalFlags({ openEpisode: null, injections: [], today: TODAY })).toEqual([]);
    expect(flagsOf({})).toEqual([]);
  });

  it('lists several flags at once, most urgent first, each at most once', () => {
    const injections = [
      shot('2027-01-10', 'completed', 20),
      shot('2027-02-10', 'completed', 10),
      shot('2027-03-10', 'completed', null),
      shot('2027-04-10', 'completed', null),
    ];
    expect(flagsOf({ openEpisode: openEpisode({ neurologicalSigns: ['weakness'] }), injections })).toEqual([
      'URGENT_SURGICAL_REVIEW',
      'SURGICAL_REVIEW',
      'ANNUAL_LIMIT',
      'ADDITIONAL_INJECTION_CONSULT',
    ]);
  });

  it('never touches the caller’s array order', () => {
    const injections = [shot('2027-04-01', 'completed', 20), shot('2027-01-01', 'completed', 30)];
    const before = injections.map((i) => i.id);
    clinicalFlags({ openEpisode: openEpisode(), injections, today: TODAY });
    expect(injections.map((i) => i.id)).toEqual(before);
  });
});
