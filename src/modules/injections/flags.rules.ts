// Clinical flags (SPEC §2): advice shown to clinicians and in reports. They never block booking,
// so they live apart from R1–R5 and nothing here is consulted by evaluateBooking.
//
// Semantics chosen (the spec gives the intent; these are the precise definitions):
// - Episode flags look only at the patient's OPEN episode and the injections attached to it.
// - An outcome counts only when assessed at least 7 days after the injection (sooner, it measures the
//   local anaesthetic, not the steroid) and when its improvement could be derived (not null).
// - SECOND_INJECTION_SUGGESTED: the episode has exactly one completed injection, its counting outcome
//   improved 50–99% (inclusive; 100% needs nothing more, under 50% is not a meaningful response), and
//   no scheduled or completed injection of the episode is dated after it (a second one is not booked).
// - ADDITIONAL_INJECTION_CONSULT: the episode already has 2+ scheduled/completed injections, so the
//   next would be the third or later (still shown once the third is booked).
// - ANNUAL_LIMIT: per region, across all of the patient's episodes: one more scheduled/completed
//   injection in that region on `today` would make five within a 365-day window, i.e. four counted
//   injections whose dates span at most 364 days lie in [today − 364, today + 364]. Any window of four
//   in that range also contains `today`, so this is exactly "the next one now would be the fifth".
// - SURGICAL_REVIEW: the two most recent completed injections of the episode with a counting outcome
//   both improved under 50%.
// - URGENT_SURGICAL_REVIEW: the open episode records weakness or a red flag (bowel/bladder change,
//   saddle anaesthesia; cleared or not), or SURGICAL_REVIEW holds on a severe episode.
// - BOOKED_NOW_INELIGIBLE: scheduled injections of the open episode that R1 or R4 would refuse against
//   the episode as it is now (an exemption withdrawn, a red flag added); named in `injectionIds`.
// Each flag appears at most once, most urgent first, so callers can key on `flag`.
import {
  bookedNowIneligible,
  daysBetween,
  isCounted,
  isRedFlag,
  outcomeCounts,
  signWords,
  type EpisodeFacts,
  type InjectionStatus,
  type IsoDate,
} from './injection.rules.ts';

export type ClinicalFlag =
  | 'SECOND_INJECTION_SUGGESTED'
  | 'ADDITIONAL_INJECTION_CONSULT'
  | 'ANNUAL_LIMIT'
  | 'SURGICAL_REVIEW'
  | 'URGENT_SURGICAL_REVIEW'
  | 'BOOKED_NOW_INELIGIBLE';
export type Region = 'lumbar' | 'cervical' | 'thoracic';

export interface FlagInjection {
  id: string;
  episodeId: string;
  region: Region;
  localDate: IsoDate;
  status: InjectionStatus;
  percentImprovement: number | null;
  /** when the outcome was assessed (null without an outcome) */
  assessedOn: IsoDate | null;
}

export interface FlagInput {
  openEpisode: (EpisodeFacts & { region: Region }) | null;
  /** all of the patient's injections */
  injections: readonly FlagInjection[];
  today: IsoDate;
}

export interface FlagResult {
  flag: ClinicalFlag;
  message: string;
  /** the injections the flag is about, where it names some (BOOKED_NOW_INELIGIBLE) */
  injectionIds?: string[];
}

export const FLAG_PARAMETERS = {
  meaningfulImprovementPercent: 50,
  annualLimit: 4,
  annualWindowDays: 365,
} as const;

const byDate = (a: FlagInjection, b: FlagInjection): number => (a.localDate < b.localDate ? -1 : a.localDate > b.localDate ? 1 : 0);

/** The improvement an injection's outcome shows, when it counts for the flags. */
function countingImprovement(i: FlagInjection): number | null {
  if (i.percentImprovement === null || i.assessedOn === null) return null;
  return outcomeCounts(i.localDate, i.assessedOn) ? i.percentImprovement : null;
}

function surgicalReview(episodeInjections: readonly FlagInjection[]): FlagResult | null {
  const assessed = episodeInjections.filter((i) => i.status === 'completed' && countingImprovement(i) !== null);
  const lastTwo = assessed.slice(-2);
  if (lastTwo.length < 2) return null;
  if (!lastTwo.every((i) => (countingImprovement(i) ?? 100) < FLAG_PARAMETERS.meaningfulImprovementPercent)) return null;
  const detail = lastTwo.map((i) => `${i.localDate}: ${countingImprovement(i) ?? 0}%`).join(', ');
  return {
    flag: 'SURGICAL_REVIEW',
    message: `Two injections in this episode each improved pain by less than 50% (${detail}): consider a surgical review.`,
  };
}

function urgentSurgicalReview(episode: EpisodeFacts, surgical: FlagResult | null): FlagResult | null {
  const signs = episode.neurologicalSigns.filter((s) => s === 'weakness' || isRedFlag(s));
  if (signs.length > 0) {
    return {
      flag: 'URGENT_SURGICAL_REVIEW',
      message: `The episode records ${signs.map(signWords).join(' and ')}: arrange a prompt surgical review.`,
    };
  }
  if (surgical !== null && episode.severity === 'severe') {
    return {
      flag: 'URGENT_SURGICAL_REVIEW',
      message: 'Severe pain with two injections each improving it by less than 50%: arrange a prompt surgical review.',
    };
  }
  return null;
}

function annualLimit(injections: readonly FlagInjection[], today: IsoDate): FlagResult | null {
  const { annualLimit: limit, annualWindowDays: window } = FLAG_PARAMETERS;
  const hits: string[] = [];
  for (const region of ['lumbar', 'cervical', 'thoracic'] as const) {
    const dates = injections
      .filter((i) => i.region === region && isCounted(i.status) && Math.abs(daysBetween(today, i.localDate)) <= window - 1)
      .map((i) => i.localDate)
      .sort();
    // Sliding window over sorted dates: `limit` of them fit in 365 days when first..last spans ≤ 364.
    for (let k = 0; k + limit - 1 < dates.length; k++) {
      const first = dates[k];
      const last = dates[k + limit - 1];
      if (first !== undefined && last !== undefined && daysBetween(first, last) <= window - 1) {
        hits.push(`${region} (${first} to ${last})`);
        break;
      }
    }
  }
  if (hits.length === 0) return null;
  return {
    flag: 'ANNUAL_LIMIT',
    message: `${limit} injections within 365 days in ${hits.join(' and ')}: another would be the fifth in a year, above the common payer limit of ${limit}.`,
  };
}

function additionalInjectionConsult(counted: readonly FlagInjection[]): FlagResult | null {
  if (counted.length < 2) return null;
  return {
    flag: 'ADDITIONAL_INJECTION_CONSULT',
    message: `This episode already has ${counted.length} injections: a third or later injection needs a consultation.`,
  };
}

function secondInjectionSuggested(episodeInjections: readonly FlagInjection[]): FlagResult | null {
  const completed = episodeInjections.filter((i) => i.status === 'completed');
  const only = completed.length === 1 ? completed[0] : undefined;
  if (only === undefined) return null;
  const p = countingImprovement(only);
  if (p === null || p < FLAG_PARAMETERS.meaningfulImprovementPercent || p > 99) return null;
  const laterBooked = episodeInjections.some((i) => i !== only && isCounted(i.status) && i.localDate > only.localDate);
  if (laterBooked) return null;
  return {
    flag: 'SECOND_INJECTION_SUGGESTED',
    message: `The injection on ${only.localDate} improved pain by ${p}%: a partial but significant response, so a second injection may be considered.`,
  };
}

function ineligibleBookings(episode: EpisodeFacts, injections: readonly FlagInjection[]): FlagResult | null {
  const found = bookedNowIneligible(episode, injections);
  if (found.length === 0) return null;
  const ids = [...new Set(found.map((f) => f.injectionId))];
  const dates = [...new Set(found.map((f) => f.localDate))].join(', ');
  const why = [
    ...new Set(found.map((f) => (f.code === 'R4_RED_FLAG' ? 'an uncleared red flag' : 'the conservative-care exemption was withdrawn'))),
  ].join(' and ');
  return {
    flag: 'BOOKED_NOW_INELIGIBLE',
    message: `Booked injection${ids.length === 1 ? '' : 's'} on ${dates} would no longer pass the rules (${why}): move, cancel or review ${ids.length === 1 ? 'it' : 'them'}.`,
    injectionIds: ids,
  };
}

export function clinicalFlags(input: FlagInput): FlagResult[] {
  const episode = input.openEpisode?.status === 'open' ? input.openEpisode : null;
  const mine = episode === null ? [] : input.injections.filter((i) => i.episodeId === episode.id).sort(byDate);
  const counted = mine.filter((i) => isCounted(i.status));
  const surgical = episode === null ? null : surgicalReview(mine);
  const flags = [
    episode === null ? null : urgentSurgicalReview(episode, surgical),
    episode === null ? null : ineligibleBookings(episode, mine),
    surgical,
    annualLimit(input.injections, input.today),
    episode === null ? null : additionalInjectionConsult(counted),
    episode === null ? null : secondInjectionSuggested(mine),
  ];
  return flags.filter((f): f is FlagResult => f !== null);
}
