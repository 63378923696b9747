// Pure scheduling rules for epidural steroid injections (SPEC §2, R1–R5).
// No I/O, no clock, no environment: "today" and the clinic zone are always parameters, so every rule
// can be tested exhaustively, DST included.
import { DateTime } from 'luxon';

export const RULE_PARAMETERS = {
  conservativeTrialDays: 42,
  minIntervalDays: 14,
  /** Counted injections an episode may hold before a consultation is needed (R5). */
  injectionsWithoutConsultation: 2,
  minConsultationAllowance: 3,
  maxConsultationAllowance: 12,
} as const;

/** A calendar date 'YYYY-MM-DD' in the clinic's zone. */
export type IsoDate = string;
export type InjectionStatus = 'scheduled' | 'completed' | 'cancelled' | 'no_show';
export type Severity = 'mild' | 'moderate' | 'severe';
export type NeurologicalSign = 'numbness' | 'tingling' | 'weakness' | 'reflex_loss' | 'bowel_bladder' | 'saddle_anesthesia';
export type RuleId = 'R1_CONSERVATIVE_TRIAL' | 'R2_INJECTION_INTERVAL' | 'R3_EPISODE' | 'R4_RED_FLAG' | 'R5_CONSULTATION';

/** Signs of possible cauda equina syndrome: they call for urgent surgical evaluation, never an elective
 * injection, and never count as the neurological sign that exempts from the conservative trial. */
export const RED_FLAGS = ['bowel_bladder', 'saddle_anesthesia'] as const satisfies readonly NeurologicalSign[];
export const isRedFlag = (s: NeurologicalSign): boolean => (RED_FLAGS as readonly NeurologicalSign[]).includes(s);

export interface EpisodeFacts {
  id: string;
  patientId: string;
  status: 'open' | 'closed';
  conservativeCareStartedOn: IsoDate;
  severity: Severity;
  neurologicalSigns: readonly NeurologicalSign[];
  /** Red flags a clinician's clearance covers (R4); a flag recorded after the clearance is not in it. */
  clearedRedFlags: readonly NeurologicalSign[];
  /** The total of counted injections the latest consultation allows (R5); null without one. */
  allowInjections: number | null;
}

export interface InjectionFacts {
  id: string;
  /** Needed by R5 (counted per episode); rows without it count for R2 only. */
  episodeId?: string;
  localDate: IsoDate;
  status: InjectionStatus;
}

export interface Violation {
  rule: RuleId;
  message: string;
  /** the first date on or after the requested date that passes every rule, null when none can (R3–R5) */
  earliestEligibleDate: IsoDate | null;
  /** first date on which THIS blocker no longer applies (null for R3–R5, which no date clears) */
  until: IsoDate | null;
}

export interface BookingInput {
  patientId: string;
  episode: EpisodeFacts | null;
  /** the patient's injections (any status, any episode); the one being moved is excluded via excludeInjectionId */
  injections: readonly InjectionFacts[];
  localDate: IsoDate;
  excludeInjectionId?: string | undefined;
}

// ---- calendar-date arithmetic -------------------------------------------------------------------
// Dates are handled as midnight UTC: once we hold a calendar date, UTC has no DST, so "plus n days"
// and "difference in days" are exact calendar-day counts whatever the clinic zone or the process TZ.

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

// Plain integer day numbers rather than luxon objects: eligibility runs these in a loop over a patient's
// history on every front-desk screen, and integer arithmetic on UTC midnights is exact.
/** Days since 1970-01-01 of a calendar date; NaN when it is not one (2027-02-30, 2027-13-01). */
function epochDay(d: string): number {
  if (!ISO_DATE.test(d)) return NaN;
  const y = Number(d.slice(0, 4));
  const m = Number(d.slice(5, 7)) - 1;
  const day = Number(d.slice(8, 10));
  const t = new Date(0);
  t.setUTCFullYear(y, m, day); // unlike Date.UTC, keeps years 0-99 as written
  return t.getUTCFullYear() === y && t.getUTCMonth() === m && t.getUTCDate() === day ? t.getTime() / DAY_MS : NaN;
}

function toEpochDay(d: IsoDate): number {
  const n = epochDay(d);
  if (Number.isNaN(n)) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${d}`);
  return n;
}

const pad = (v: number, width: number) => String(v).padStart(width, '0');
function fromEpochDay(n: number): IsoDate {
  const t = new Date(n * DAY_MS);
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1, 2)}-${pad(t.getUTCDate(), 2)}`;
}

export function isIsoDate(s: string): boolean {
  return !Number.isNaN(epochDay(s));
}

export function addDays(d: IsoDate, n: number): IsoDate {
  // A date plus 1.5 days has no meaning here.
  if (!Number.isInteger(n)) throw new RangeError(`Days must be an integer: ${n}`);
  return fromEpochDay(toEpochDay(d) + n);
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** The clinic-local calendar date of an instant. A string without an offset is read as clinic time. */
export function localDateOf(instant: Date | string, zone: string): IsoDate {
  const dt = typeof instant === 'string' ? DateTime.fromISO(instant, { zone }) : DateTime.fromJSDate(instant, { zone });
  if (!dt.isValid) throw new RangeError(`Invalid instant or zone: ${String(instant)} in ${zone}`);
  return dt.toFormat('yyyy-MM-dd');
}

const maxDate = (a: IsoDate, b: IsoDate): IsoDate => (a >= b ? a : b); // ISO dates sort as strings

// ---- R1 conservative trial ----------------------------------------------------------------------

export function isCounted(status: InjectionStatus): boolean {
  return status === 'scheduled' || status === 'completed';
}

/** Severe, or an ordinary neurological sign: red flags never exempt (they block, see R4). */
export function hasR1Exemption(e: Pick<EpisodeFacts, 'severity' | 'neurologicalSigns'>): boolean {
  return e.severity === 'severe' || e.neurologicalSigns.some((s) => !isRedFlag(s));
}

/** The first date R1 allows: the start of conservative care when exempt, else six weeks after it. */
export function r1EarliestDate(e: Pick<EpisodeFacts, 'severity' | 'neurologicalSigns' | 'conservativeCareStartedOn'>): IsoDate {
  if (hasR1Exemption(e)) return e.conservativeCareStartedOn;
  return addDays(e.conservativeCareStartedOn, RULE_PARAMETERS.conservativeTrialDays);
}

/** The end of the six-week trial, or null when the episode is exempt from it. */
export function conservativeTrialEndsOn(
  e: Pick<EpisodeFacts, 'severity' | 'neurologicalSigns' | 'conservativeCareStartedOn'>,
): IsoDate | null {
  return hasR1Exemption(e) ? null : addDays(e.conservativeCareStartedOn, RULE_PARAMETERS.conservativeTrialDays);
}

export function checkR1(e: EpisodeFacts, localDate: IsoDate): Violation | null {
  const started = e.conservativeCareStartedOn;
  if (localDate < started) {
    return {
      rule: 'R1_CONSERVATIVE_TRIAL',
      message: `${localDate} is before conservative care for this episode started (${started}); an injection cannot precede it.`,
      earliestEligibleDate: null,
      until: r1EarliestDate(e),
    };
  }
  const earliest = r1EarliestDate(e);
  if (localDate >= earliest) return null;
  return {
    rule: 'R1_CONSERVATIVE_TRIAL',
    message:
      `First injection for this episode must be on or after ${earliest}: 6 weeks of conservative care ` +
      `(started ${started}) are required unless the episode is severe or has neurological signs.`,
    earliestEligibleDate: null,
    until: earliest,
  };
}

// ---- R2 interval --------------------------------------------------------------------------------

/** Dates of the injections that take part in R2, oldest first. */
function countedDates(injections: readonly InjectionFacts[], excludeInjectionId?: string): IsoDate[] {
  return injections
    .filter((i) => isCounted(i.status) && i.id !== excludeInjectionId)
    .map((i) => i.localDate)
    .sort();
}

function distance(days: number): string {
  if (days === 0) return 'the same day';
  return `${days} ${days === 1 ? 'day' : 'days'} away`;
}

export function checkR2(injections: readonly InjectionFacts[], localDate: IsoDate, excludeInjectionId?: string): Violation | null {
  const min = RULE_PARAMETERS.minIntervalDays;
  const conflicts = injections
    .filter((i) => isCounted(i.status) && i.id !== excludeInjectionId)
    .map((i) => ({ ...i, gap: Math.abs(daysBetween(localDate, i.localDate)) }))
    .filter((i) => i.gap < min)
    .sort((a, b) => (a.localDate < b.localDate ? -1 : a.localDate > b.localDate ? 1 : 0));
  const latest = conflicts[conflicts.length - 1];
  if (latest === undefined) return null;

  const first = conflicts[0];
  const lead =
    conflicts.length === 1 && first !== undefined
      ? `Another injection ${first.status === 'completed' ? 'was given' : 'is scheduled'} on ${first.localDate} (${distance(first.gap)})`
      : `Other injections are on ${conflicts.map((c) => `${c.localDate} (${distance(c.gap)})`).join(' and ')}`;
  return {
    rule: 'R2_INJECTION_INTERVAL',
    message: `${lead}; injections must be at least ${min} days apart.`,
    earliestEligibleDate: null,
    // Any conflict is within 13 days of the request, so the date clearing the latest one clears all.
    until: addDays(latest.localDate, min),
  };
}

// ---- R3 episode ---------------------------------------------------------------------------------

export function checkR3(patientId: string, episode: EpisodeFacts | null): Violation | null {
  let message: string | null = null;
  if (episode === null) message = 'An injection must belong to an open episode of care; this patient has none.';
  else if (episode.patientId !== patientId) message = 'The episode belongs to a different patient.';
  else if (episode.status !== 'open') message = 'The episode is closed; open a new episode before booking an injection.';
  return message === null ? null : { rule: 'R3_EPISODE', message, earliestEligibleDate: null, until: null };
}

// ---- R4 red flag --------------------------------------------------------------------------------

const SIGN_WORDS: Record<NeurologicalSign, string> = {
  numbness: 'numbness',
  tingling: 'tingling',
  weakness: 'weakness',
  reflex_loss: 'reflex loss',
  bowel_bladder: 'bowel or bladder dysfunction',
  saddle_anesthesia: 'saddle anaesthesia',
};
export const signWords = (s: NeurologicalSign): string => SIGN_WORDS[s];

/** Red flags recorded on the episode that no clearance covers. */
export function unclearedRedFlags(e: Pick<EpisodeFacts, 'neurologicalSigns' | 'clearedRedFlags'>): NeurologicalSign[] {
  return e.neurologicalSigns.filter((s) => isRedFlag(s) && !e.clearedRedFlags.includes(s));
}

export function checkR4(e: EpisodeFacts): Violation | null {
  const flags = unclearedRedFlags(e);
  if (flags.length === 0) return null;
  return {
    rule: 'R4_RED_FLAG',
    message:
      `The episode records ${flags.map(signWords).join(' and ')}, a red flag for cauda equina syndrome: ` +
      'the patient needs urgent surgical evaluation, not an elective injection. A clinician must record a clearance before booking.',
    earliestEligibleDate: null,
    until: null,
  };
}

// ---- R5 consultation ----------------------------------------------------------------------------

/** How many counted injections the episode would hold with one more (the one being moved excluded). */
export function countWithNew(episodeId: string, injections: readonly InjectionFacts[], excludeInjectionId?: string): number {
  return injections.filter((i) => i.episodeId === episodeId && isCounted(i.status) && i.id !== excludeInjectionId).length + 1;
}

/** The counted injections the episode may hold: two, or what the latest consultation allows. */
export const allowedInjections = (e: Pick<EpisodeFacts, 'allowInjections'>): number =>
  e.allowInjections ?? RULE_PARAMETERS.injectionsWithoutConsultation;

const ordinal = (n: number): string => {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
};

export function checkR5(e: EpisodeFacts, injections: readonly InjectionFacts[], excludeInjectionId?: string): Violation | null {
  const n = countWithNew(e.id, injections, excludeInjectionId);
  const allowed = allowedInjections(e);
  if (n <= allowed) return null;
  const why =
    e.allowInjections === null
      ? "additional injections need a clinician's recorded consultation"
      : `the latest consultation allows ${e.allowInjections} in this episode; a further consultation is needed`;
  return {
    rule: 'R5_CONSULTATION',
    message: `This would be the ${ordinal(n)} injection in the episode: ${why}.`,
    earliestEligibleDate: null,
    until: null,
  };
}

// ---- booking evaluation -------------------------------------------------------------------------

/** Every rule the booking (or move, or completion on another date) breaks, each naming the earliest
 * date that passes them all (null when no date can: R3, R4, R5). */
export function evaluateBooking(input: BookingInput): Violation[] {
  const r3 = checkR3(input.patientId, input.episode);
  // R1, R4 and R5 are judged against the injection's own episode; when R3 fails that episode is not a
  // valid home for the injection, so their messages would only send the user after what cannot help.
  const episode = r3 === null ? input.episode : null;
  const found = [
    r3,
    episode ? checkR4(episode) : null,
    episode ? checkR5(episode, input.injections, input.excludeInjectionId) : null,
    episode ? checkR1(episode, input.localDate) : null,
    checkR2(input.injections, input.localDate, input.excludeInjectionId),
  ].filter((v): v is Violation => v !== null);
  if (found.length === 0) return [];
  const earliest = earliestEligibleDate(input);
  return found.map((v) => ({ ...v, earliestEligibleDate: earliest }));
}

/** The first date on or after `from` (default: the requested date) that passes R1–R5, considering
 * bookings in the future too (it may fall in a gap between them); null when no date can pass. */
export function earliestEligibleDate(input: BookingInput & { from?: IsoDate }): IsoDate | null {
  const e = input.episode;
  if (e === null || checkR3(input.patientId, e) !== null) return null;
  if (checkR4(e) !== null || checkR5(e, input.injections, input.excludeInjectionId) !== null) return null;
  const min = RULE_PARAMETERS.minIntervalDays;
  const from = input.from ?? input.localDate;
  let candidate = maxDate(from, r1EarliestDate(e));
  // One pass over the sorted dates: an injection that conflicts pushes the candidate to the day it
  // clears; earlier ones were already cleared (they are no later than the one that pushed), and the
  // first injection at least 14 days ahead means every later one is too.
  for (const d of countedDates(input.injections, input.excludeInjectionId)) {
    const gap = daysBetween(candidate, d);
    if (gap >= min) break;
    if (gap > -min) candidate = addDays(d, min);
  }
  return candidate;
}

// ---- withdrawn exemptions -----------------------------------------------------------------------

export interface IneligibleBooking {
  code: 'R1_EXEMPTION_WITHDRAWN' | 'R4_RED_FLAG';
  injectionId: string;
  localDate: IsoDate;
  message: string;
}

/** Scheduled injections of the episode that the episode as it is now would refuse under R1 or R4
 * (an exemption withdrawn, a red flag added). Nothing is cancelled: they are named for the clinic. */
export function bookedNowIneligible(e: EpisodeFacts, injections: readonly InjectionFacts[]): IneligibleBooking[] {
  const r4 = checkR4(e);
  return injections
    .filter((i) => i.status === 'scheduled' && i.episodeId === e.id)
    .sort((a, b) => (a.localDate < b.localDate ? -1 : a.localDate > b.localDate ? 1 : 0))
    .flatMap((i): IneligibleBooking[] => {
      const out: IneligibleBooking[] = [];
      const r1 = checkR1(e, i.localDate);
      if (r1)
        out.push({
          code: 'R1_EXEMPTION_WITHDRAWN',
          injectionId: i.id,
          localDate: i.localDate,
          message: `Booked for ${i.localDate}: ${r1.message}`,
        });
      if (r4)
        out.push({ code: 'R4_RED_FLAG', injectionId: i.id, localDate: i.localDate, message: `Booked for ${i.localDate}: ${r4.message}` });
      return out;
    });
}

// ---- lifecycle and history ----------------------------------------------------------------------

export type Transition = 'complete' | 'cancel' | 'no_show' | 'reschedule' | 'outcome';

export function canTransition(status: InjectionStatus, t: Transition): boolean {
  switch (t) {
    case 'complete':
    case 'cancel':
    case 'no_show':
    case 'reschedule':
      return status === 'scheduled';
    case 'outcome':
      return status === 'completed';
  }
}

/** Days since the previous scheduled/completed injection; cancelled and no-show rows never count. */
export function withDaysSincePrevious<T extends InjectionFacts>(
  sortedOldestFirst: readonly T[],
): (T & { daysSincePrevious: number | null })[] {
  let previous: IsoDate | null = null;
  return sortedOldestFirst.map((row) => {
    if (!isCounted(row.status)) return { ...row, daysSincePrevious: null };
    const days = previous === null ? null : daysBetween(previous, row.localDate);
    previous = row.localDate;
    return { ...row, daysSincePrevious: days };
  });
}

/** The clinician's clock and the server's rarely agree to the second; a minute of skew is tolerated. */
const CLOCK_SKEW_MS = 60_000;

export function isPerformedAtValid(performedAt: Date, now: Date): boolean {
  const t = performedAt.getTime();
  return !Number.isNaN(t) && t <= now.getTime() + CLOCK_SKEW_MS;
}

// ---- outcomes -----------------------------------------------------------------------------------

export const OUTCOME_PARAMETERS = {
  /** An assessment sooner than this after the injection measures the local anaesthetic, not the steroid. */
  minDaysAfterInjection: 7,
} as const;

/** The improvement the pain scores show: null when there was no pain to improve (0 before), 0 when
 * pain did not fall. */
export function derivePercentImprovement(painBefore: number, painAfter: number): number | null {
  if (painBefore <= 0) return null;
  return Math.max(0, Math.round(((painBefore - painAfter) / painBefore) * 100));
}

/** Whether an outcome counts for the clinical flags: assessed at least 7 days after the injection. */
export function outcomeCounts(injectionDate: IsoDate, assessedOn: IsoDate): boolean {
  return daysBetween(injectionDate, assessedOn) >= OUTCOME_PARAMETERS.minDaysAfterInjection;
}
