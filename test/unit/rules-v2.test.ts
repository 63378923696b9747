// Rules v2 at their boundaries: R1 before the start of care, R4 red flags and clearances, R5
// consultations (2nd/3rd/4th injection with and without one), anatomy, outcomes (6/7 days, null
// improvement) and the bookings an episode edit leaves ineligible.
import { describe, expect, it } from 'vitest';
import { checkAnatomy, INTERSPACES, levelsOf, normaliseLevels } from '../../src/modules/injections/anatomy.rules.ts';
import { clinicalFlags, type FlagInjection } from '../../src/modules/injections/flags.rules.ts';
import {
  addDays,
  bookedNowIneligible,
  checkR1,
  checkR4,
  checkR5,
  derivePercentImprovement,
  earliestEligibleDate,
  evaluateBooking,
  hasR1Exemption,
  outcomeCounts,
  unclearedRedFlags,
  type EpisodeFacts,
  type InjectionFacts,
  type InjectionStatus,
} from '../../src/modules/injections/injection.rules.ts';

const episode = (over: Partial<EpisodeFacts> = {}): EpisodeFacts => ({
  id: 'ep-1',
  patientId: 'pat-1',
  status: 'open',
  conservativeCareStartedOn: '2027-01-04',
  severity: 'severe',
  neurologicalSigns: [],
  clearedRedFlags: [],
  allowInjections: null,
  ...over,
});
let seq = 0;
const inj = (localDate: string, status: InjectionStatus = 'scheduled', episodeId = 'ep-1'): InjectionFacts => ({
  id: `i-${++seq}`,
  episodeId,
  localDate,
  status,
});
const rules = (e: EpisodeFacts, injections: InjectionFacts[], localDate: string, excludeInjectionId?: string) =>
  evaluateBooking({ patientId: 'pat-1', episode: e, injections, localDate, excludeInjectionId }).map((v) => v.rule);

describe('R1: never before conservative care began', () => {
  it.each([
    ['2027-01-03', 'R1_CONSERVATIVE_TRIAL'],
    ['2027-01-04', null],
  ])('an exempt episode on %s', (date, rule) => {
    expect(checkR1(episode(), date)?.rule ?? null).toBe(rule);
  });

  it('names the start as the date that clears it, exempt or not', () => {
    expect(checkR1(episode(), '2026-12-01')?.until).toBe('2027-01-04');
    expect(checkR1(episode({ severity: 'mild' }), '2026-12-01')?.until).toBe('2027-02-15');
  });

  it('red flags are not the neurological sign that exempts', () => {
    expect(hasR1Exemption({ severity: 'mild', neurologicalSigns: ['bowel_bladder'] })).toBe(false);
    expect(hasR1Exemption({ severity: 'mild', neurologicalSigns: ['saddle_anesthesia'] })).toBe(false);
    expect(hasR1Exemption({ severity: 'mild', neurologicalSigns: ['saddle_anesthesia', 'weakness'] })).toBe(true);
  });
});

describe('R4 red flags', () => {
  it('blocks every date, with no date that clears it', () => {
    const e = episode({ neurologicalSigns: ['bowel_bladder'] });
    const v = checkR4(e);
    expect(v).toMatchObject({ rule: 'R4_RED_FLAG', until: null });
    expect(rules(e, [], '2027-06-01')).toEqual(['R4_RED_FLAG']);
    expect(earliestEligibleDate({ patientId: 'pat-1', episode: e, injections: [], localDate: '2027-06-01' })).toBeNull();
  });

  it('a clearance covers the flags it names; a flag added later is not covered', () => {
    const cleared = episode({ neurologicalSigns: ['bowel_bladder'], clearedRedFlags: ['bowel_bladder'] });
    expect(checkR4(cleared)).toBeNull();
    const added = { ...cleared, neurologicalSigns: ['bowel_bladder', 'saddle_anesthesia'] as const };
    expect(unclearedRedFlags(added)).toEqual(['saddle_anesthesia']);
    expect(checkR4({ ...added, clearedRedFlags: ['bowel_bladder', 'saddle_anesthesia'] })).toBeNull();
  });

  it('ordinary signs never block', () => {
    expect(checkR4(episode({ neurologicalSigns: ['weakness', 'numbness', 'tingling', 'reflex_loss'] }))).toBeNull();
  });
});

describe('R5 consultation', () => {
  const two = () => [inj('2027-02-01'), inj('2027-02-15', 'completed')];

  it.each<[string, InjectionFacts[], number | null, boolean]>([
    ['the 2nd injection without a consultation', [inj('2027-02-01')], null, true],
    ['the 3rd injection without a consultation', two(), null, false],
    ['the 3rd injection with a consultation allowing 3', two(), 3, true],
    ['the 4th injection with a consultation allowing 3', [...two(), inj('2027-03-01')], 3, false],
    ['the 4th injection with a consultation allowing 4', [...two(), inj('2027-03-01')], 4, true],
  ])('%s', (_what, injections, allowInjections, passes) => {
    const v = checkR5(episode({ allowInjections }), injections);
    expect(v === null).toBe(passes);
    if (v) expect(v).toMatchObject({ rule: 'R5_CONSULTATION', until: null });
  });

  it('counts only scheduled/completed injections of this episode, and not the one being moved', () => {
    const list = [inj('2027-02-01'), inj('2027-02-15', 'cancelled'), inj('2027-03-01', 'no_show'), inj('2026-10-01', 'completed', 'ep-0')];
    expect(checkR5(episode(), list)).toBeNull();
    const full = two();
    expect(checkR5(episode(), full)).not.toBeNull();
    expect(checkR5(episode(), full, full[0]?.id)).toBeNull();
  });

  it('leaves no eligible date while it blocks', () => {
    expect(earliestEligibleDate({ patientId: 'pat-1', episode: episode(), injections: two(), localDate: '2027-06-01' })).toBeNull();
    expect(
      earliestEligibleDate({ patientId: 'pat-1', episode: episode({ allowInjections: 3 }), injections: two(), localDate: '2027-06-01' }),
    ).toBe('2027-06-01');
  });
});

describe('anatomy', () => {
  const ok = (
    region: 'lumbar' | 'cervical' | 'thoracic',
    levels: string[],
    approach: 'transforaminal' | 'interlaminar' | 'caudal',
    side: 'left' | 'right' | 'bilateral' | 'midline',
  ) => checkAnatomy({ region, levels, approach, side });

  it('knows the interspaces of each region, junctions by their upper segment', () => {
    expect(levelsOf('cervical')).toEqual(['C2-C3', 'C3-C4', 'C4-C5', 'C5-C6', 'C6-C7', 'C7-T1']);
    expect(levelsOf('lumbar')).toEqual(['L1-L2', 'L2-L3', 'L3-L4', 'L4-L5', 'L5-S1']);
    expect(levelsOf('thoracic')).toHaveLength(12);
    expect(levelsOf('thoracic').at(-1)).toBe('T12-L1');
    expect(INTERSPACES).toHaveLength(23);
  });

  it.each([
    ['transforaminal', ['L4-L5'], 'left'],
    ['transforaminal', ['L4-L5', 'L5-S1'], 'bilateral'],
    ['transforaminal', ['L5-S1'], 'right'],
    ['interlaminar', ['L5-S1'], 'midline'],
    ['interlaminar', ['L4-L5'], 'left'],
    ['caudal', [], 'midline'],
  ] as const)('accepts %s %j %s in a lumbar episode', (approach, levels, side) => {
    expect(ok('lumbar', [...levels], approach, side)).toEqual([]);
  });

  it.each([
    ['transforaminal', ['L4-L5'], 'midline', 'body.side'],
    ['interlaminar', ['L4-L5'], 'bilateral', 'body.side'],
    ['caudal', [], 'left', 'body.side'],
    ['caudal', ['L5-S1'], 'midline', 'body.levels'],
    ['interlaminar', [], 'midline', 'body.levels'],
    ['interlaminar', ['L3-L4', 'L4-L5'], 'midline', 'body.levels'],
    ['transforaminal', [], 'left', 'body.levels'],
    ['transforaminal', ['L2-L3', 'L3-L4', 'L4-L5'], 'left', 'body.levels'],
    ['transforaminal', ['L3-L4', 'L5-S1'], 'left', 'body.levels'],
    ['transforaminal', ['L4-L5', 'L4-L5'], 'left', 'body.levels'],
    ['transforaminal', ['L5-L4'], 'left', 'body.levels.0'],
    ['transforaminal', ['C2-S1'], 'left', 'body.levels.0'],
    ['transforaminal', ['L4'], 'left', 'body.levels.0'],
    ['transforaminal', ['T12-L1'], 'left', 'body.levels.0'],
  ] as const)('refuses %s %j %s in a lumbar episode, naming %s', (approach, levels, side, path) => {
    expect(ok('lumbar', [...levels], approach, side).map((p) => p.path)).toContain(path);
  });

  it('suggests the head-to-tail spelling of a reversed interspace', () => {
    expect(ok('lumbar', ['L5-L4'], 'transforaminal', 'left')[0]?.message).toContain('L4-L5');
  });

  it('a caudal entry is lumbar only; without a region only what does not depend on it is judged', () => {
    expect(ok('cervical', [], 'caudal', 'midline').map((p) => p.path)).toEqual(['body.approach']);
    expect(checkAnatomy({ region: null, levels: ['C6-C7'], approach: 'interlaminar', side: 'midline' })).toEqual([]);
  });

  it('orders levels head to tail', () => {
    expect(normaliseLevels(['L5-S1', 'L4-L5'])).toEqual(['L4-L5', 'L5-S1']);
    expect(normaliseLevels(['C7-T1', 'C6-C7'])).toEqual(['C6-C7', 'C7-T1']);
  });
});

describe('outcomes', () => {
  it.each([
    [8, 2, 75],
    [8, 8, 0],
    [4, 6, 0],
    [3, 2, 33],
    [10, 0, 100],
    [0, 0, null],
    [0, 3, null],
  ])('pain %i → %i is %s %% improvement', (before, after, expected) => {
    expect(derivePercentImprovement(before, after)).toBe(expected);
  });

  it.each([
    ['2027-03-01', '2027-03-01', false],
    ['2027-03-01', '2027-03-07', false],
    ['2027-03-01', '2027-03-08', true],
    ['2027-03-08', '2027-03-15', true],
  ])('an injection on %s assessed on %s counts: %s', (date, assessed, counts) => {
    expect(outcomeCounts(date, assessed)).toBe(counts);
  });
});

describe('flags v2', () => {
  const open = (over: Partial<EpisodeFacts> = {}) => ({ ...episode({ severity: 'moderate', ...over }), region: 'lumbar' as const });
  const shot = (
    localDate: string,
    pct: number | null,
    assessedAfterDays: number | null,
    status: InjectionStatus = 'completed',
  ): FlagInjection => ({
    id: `s-${++seq}`,
    episodeId: 'ep-1',
    region: 'lumbar',
    localDate,
    status,
    percentImprovement: pct,
    assessedOn: assessedAfterDays === null ? null : addDays(localDate, assessedAfterDays),
  });
  const flags = (e: ReturnType<typeof open>, injections: FlagInjection[]) =>
    clinicalFlags({ openEpisode: e, injections, today: '2027-06-01' }).map((f) => f.flag);

  it('SECOND_INJECTION_SUGGESTED needs an outcome assessed 7+ days after the injection', () => {
    expect(flags(open(), [shot('2027-05-01', 70, 6)])).not.toContain('SECOND_INJECTION_SUGGESTED');
    expect(flags(open(), [shot('2027-05-01', 70, 7)])).toContain('SECOND_INJECTION_SUGGESTED');
  });

  it('SURGICAL_REVIEW ignores early assessments and improvements that cannot be derived', () => {
    expect(flags(open(), [shot('2027-04-01', 10, 14), shot('2027-04-15', 20, 3)])).not.toContain('SURGICAL_REVIEW');
    expect(flags(open(), [shot('2027-04-01', 10, 14), shot('2027-04-15', null, 14)])).not.toContain('SURGICAL_REVIEW');
    expect(flags(open(), [shot('2027-04-01', 10, 14), shot('2027-04-15', 49, 7)])).toContain('SURGICAL_REVIEW');
  });

  it('URGENT_SURGICAL_REVIEW for weakness, a red flag (cleared or not), or surgical review on a severe episode', () => {
    expect(flags(open({ neurologicalSigns: ['saddle_anesthesia'], clearedRedFlags: ['saddle_anesthesia'] }), [])).toContain(
      'URGENT_SURGICAL_REVIEW',
    );
    const poor = [shot('2027-04-01', 10, 14), shot('2027-04-15', 20, 14)];
    expect(flags(open(), poor)).not.toContain('URGENT_SURGICAL_REVIEW');
    expect(flags(open({ severity: 'severe' }), poor)).toEqual(expect.arrayContaining(['URGENT_SURGICAL_REVIEW', 'SURGICAL_REVIEW']));
  });

  it('BOOKED_NOW_INELIGIBLE names scheduled injections the episode as it is now refuses', () => {
    const early = shot('2027-01-20', null, null, 'scheduled');
    const late = shot('2027-03-01', null, null, 'scheduled');
    const withdrawn = open({ severity: 'mild' }); // trial ends 2027-02-15
    const found = clinicalFlags({ openEpisode: withdrawn, injections: [early, late], today: '2027-01-10' }).find(
      (f) => f.flag === 'BOOKED_NOW_INELIGIBLE',
    );
    expect(found?.injectionIds).toEqual([early.id]);
    expect(bookedNowIneligible(withdrawn, [early, late]).map((w) => w.code)).toEqual(['R1_EXEMPTION_WITHDRAWN']);
    const flagged = open({ neurologicalSigns: ['bowel_bladder'] });
    expect(bookedNowIneligible(flagged, [early, late]).map((w) => [w.code, w.localDate])).toEqual([
      ['R1_EXEMPTION_WITHDRAWN', '2027-01-20'],
      ['R4_RED_FLAG', '2027-01-20'],
      ['R4_RED_FLAG', '2027-03-01'],
    ]);
    expect(bookedNowIneligible(open({ severity: 'severe' }), [early, late])).toEqual([]);
  });
});
