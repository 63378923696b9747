// Pure scheduling rules for epidural steroid injections (SPEC §2, R1–R3).
// No I/O, no clock, no environment: "today" and the clinic zone are always parameters, so every rule
// can be tested exhaustively, DST included.
import { DateTime } from 'luxon';

export const RULE_PARAMETERS = { conservativeTrialDays: 42, minIntervalDays: 14 } as const;

/** A calendar date 'YYYY-MM-DD' in the clinic's zone. */
export type IsoDate = string;
export type InjectionStatus = 'scheduled' | 'completed' | 'cancelled' | 'no_show';
export type Severity = 'mild' | 'moderate' | 'severe';
export type NeurologicalSign = 'numbness' | 'tingling' | 'weakness' | 'reflex_loss' | 'bowel_bladder';
export type RuleId = 'R1_CONSERVATIVE_TRIAL' | 'R2_INJECTION_INTERVAL' | 'R3_EPISODE';

export interface EpisodeFacts {
  id: string;
  patientId: string;
  status: 'open' | 'closed';
  conservativeCareStartedOn: IsoDate;
  severity: Severity;
  neurologicalSigns: readonly NeurologicalSign[];
}

export interface InjectionFacts {
  id: string;
  localDate: IsoDate;
  status: InjectionStatus;
}

export interface Violation {
  rule: RuleId;
  message: string;
  /** the first date on or after the requested date that passes every rule, null when none can (R3) */
  earliestEligibleDate: IsoDate | null;
  /** first date on which THIS blocker no longer applies (null for R3) */
  until: IsoDate | null;
}

export interface BookingInput {
  patientId: string;
  episode: EpisodeFacts | null;
  /** the patient's injections (any status, any episode); the one being rescheduled is excluded via excludeInjectionId */
  injections: readonly InjectionFacts[];
  localDate: IsoDate;
  excludeInjectionId?: string;
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

export function hasR1Exemption(e: Pick<EpisodeFacts, 'severity' | 'neurologicalSigns'>): boolean {
  return e.severity === 'severe' || e.neurologicalSigns.length > 0;
}

export function r1EarliestDate(e: EpisodeFacts): IsoDate | null {
  if (hasR1Exemption(e)) return null;
  return addDays(e.conservativeCareStartedOn, RULE_PARAMETERS.conservativeTrialDays);
}

export function checkR1(e: EpisodeFacts, localDate: IsoDate): Violation | null {
  const earliest = r1EarliestDate(e);
  if (earliest === null || localDate >= earliest) return null;
  return {
    rule: 'R1_CONSERVATIVE_TRIAL',
    message:
      `First injection for this episode must be on or after ${earliest}: 6 weeks of conservative care ` +
      `(started ${e.conservativeCareStartedOn}) are required unless the episode is severe or has neurological signs.`,
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

// ---- booking evaluation -------------------------------------------------------------------------

export function evaluateBooking(input: BookingInput): Violation[] {
  const r3 = checkR3(input.patientId, input.episode);
  // R1 is judged against the injection's own episode; when R3 fails that episode is not a valid home
  // for the injection, so an R1 message would only send the user after a date that cannot help.
  const r1 = r3 === null && input.episode !== null ? checkR1(input.episode, input.localDate) : null;
  const r2 = checkR2(input.injections, input.localDate, input.excludeInjectionId);
  const found = [r3, r1, r2].filter((v): v is Violation => v !== null);
  if (found.length === 0) return [];
  const earliest = earliestEligibleDate(input);
  return found.map((v) => ({ ...v, earliestEligibleDate: earliest }));
}

export function earliestEligibleDate(input: BookingInput & { from?: IsoDate }): IsoDate | null {
  if (checkR3(input.patientId, input.episode) !== null || input.episode === null) return null;
  const min = RULE_PARAMETERS.minIntervalDays;
  const from = input.from ?? input.localDate;
  const r1 = r1EarliestDate(input.episode);
  let candidate = r1 === null ? from : maxDate(from, r1);
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
