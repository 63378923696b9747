// Payer coverage checks (SPEC §5): pure functions over the facts of one proposed booking. Unlike R1–R5
// they never block; they say whether a payer's published limits would pay for the injection and, when
// not, the first date each limit would be met. Every date is a clinic calendar date ('YYYY-MM-DD'),
// handled as an integer day number, so DST and the process zone cannot move a boundary.
//
// Precise semantics (the policy files give the numbers):
// - Counted injections are the patient's `scheduled` and `completed` ones, future ones included; the
//   injection being judged itself (a reschedule) is left out by `excludeInjectionId`.
// - C_CONSERVATIVE_DAYS {days}: the date is at least `days` after the episode's
//   `conservativeCareStartedOn`. Payers list no severity exemption here, unlike R1.
// - C_MIN_INTERVAL_DAYS {days}: every counted injection of the patient (any region, before or after)
//   is at least `days` calendar days away, as R2 judges its 14.
// - C_MAX_PER_REGION {count, windowDays}: with the new injection added, no window of `windowDays`
//   consecutive days that holds the new date holds more than `count` counted injections in the
//   booking's region (a 365-day window: dates spanning at most 364 days).
// - C_REPEAT_RELIEF {percent, lastedDays, windowDays}: each counted injection in the region dated
//   before the new one and within the `windowDays`-day window ending on it has an outcome with
//   `percentImprovement` ≥ `percent` and, when `lastedDays` > 0, `reliefLastedDays` ≥ `lastedDays`.
// - C_MAX_LEVELS {transforaminal, interlaminar}: the booking's `levels` do not exceed the limit of its
//   approach (caudal has none). Judged only when the approach is known (a booking, not an eligibility
//   question); no date changes it, so its `until` is null.
// Each issue's `until` is the first date on or after the proposed one on which that check alone
// passes (with every other fact unchanged), or null when no date does.

export type IsoDate = string;
export type Region = 'lumbar' | 'cervical' | 'thoracic';
export type Approach = 'transforaminal' | 'interlaminar' | 'caudal';
export type CoverageInjectionStatus = 'scheduled' | 'completed' | 'cancelled' | 'no_show';

export type CoverageCheck =
  | { code: 'C_CONSERVATIVE_DAYS'; days: number }
  | { code: 'C_MIN_INTERVAL_DAYS'; days: number }
  | { code: 'C_MAX_PER_REGION'; count: number; windowDays: number }
  | { code: 'C_REPEAT_RELIEF'; percent: number; lastedDays: number; windowDays: number }
  | { code: 'C_MAX_LEVELS'; transforaminal: number; interlaminar: number };
export type CheckCode = CoverageCheck['code'];
export const CHECK_CODES = [
  'C_CONSERVATIVE_DAYS',
  'C_MIN_INTERVAL_DAYS',
  'C_MAX_PER_REGION',
  'C_REPEAT_RELIEF',
  'C_MAX_LEVELS',
] as const satisfies readonly CheckCode[];

export interface CoverageIssue {
  check: CheckCode;
  message: string;
  until: IsoDate | null;
}

export interface ProposedBooking {
  localDate: IsoDate;
  region: Region;
  /** unknown for an eligibility question: C_MAX_LEVELS is then not judged */
  approach?: Approach | null;
  levels?: readonly string[];
}

export interface CoverageOutcome {
  percentImprovement: number | null;
  assessedOn: IsoDate;
  reliefLastedDays: number | null;
}

export interface CoverageInjection {
  id: string;
  episodeId: string;
  region: Region;
  localDate: IsoDate;
  status: CoverageInjectionStatus;
  approach: Approach;
  levels: readonly string[];
  outcome: CoverageOutcome | null;
}

export interface CoverageFacts {
  booking: ProposedBooking;
  episode: { conservativeCareStartedOn: IsoDate; region: Region };
  /** every injection of the patient, any status, any episode */
  injections: readonly CoverageInjection[];
  /** the injection being moved, left out of the judgement */
  excludeInjectionId?: string;
}

/** One version of a policy as the rules see it. */
export interface PolicyVersion {
  version: number;
  effectiveFrom: IsoDate;
  checks: readonly CoverageCheck[];
}

// ---- integer calendar days ------------------------------------------------------------------------
// Rules files share no code (house rule), so the day arithmetic of injection.rules.ts is repeated here.

const DAY_MS = 86_400_000;
function toDay(d: IsoDate): number {
  const y = Number(d.slice(0, 4));
  const m = Number(d.slice(5, 7)) - 1;
  const day = Number(d.slice(8, 10));
  const t = new Date(0);
  t.setUTCFullYear(y, m, day);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || t.getUTCFullYear() !== y || t.getUTCMonth() !== m || t.getUTCDate() !== day) {
    throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${d}`);
  }
  return t.getTime() / DAY_MS;
}
const pad = (v: number, width: number) => String(v).padStart(width, '0');
function fromDay(n: number): IsoDate {
  const t = new Date(n * DAY_MS);
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1, 2)}-${pad(t.getUTCDate(), 2)}`;
}

// ---- facts prepared once per judgement ---------------------------------------------------------------

interface Prepared {
  facts: CoverageFacts;
  /** counted injections of the patient, any region, as day numbers, oldest first */
  all: number[];
  /** counted injections in the booking's region, oldest first */
  region: { day: number; inj: CoverageInjection }[];
  /** their day numbers, in the same order */
  regionDays: number[];
  conservativeStart: number;
  /** the last day any injection fact can change a verdict */
  lastFact: number;
}

function prepare(facts: CoverageFacts): Prepared {
  const counted = facts.injections.filter(
    (i) => (i.status === 'scheduled' || i.status === 'completed') && i.id !== facts.excludeInjectionId,
  );
  const region = counted
    .filter((i) => i.region === facts.booking.region)
    .map((inj) => ({ day: toDay(inj.localDate), inj }))
    .sort((a, b) => a.day - b.day);
  const all = counted.map((i) => toDay(i.localDate)).sort((a, b) => a - b);
  const conservativeStart = toDay(facts.episode.conservativeCareStartedOn);
  const regionDays = region.map((r) => r.day);
  return { facts, all, region, regionDays, conservativeStart, lastFact: Math.max(conservativeStart, ...all) };
}

const reliefOk = (inj: CoverageInjection, c: Extract<CoverageCheck, { code: 'C_REPEAT_RELIEF' }>): boolean => {
  const o = inj.outcome;
  if (o === null || o.percentImprovement === null || o.percentImprovement < c.percent) return false;
  return c.lastedDays <= 0 || (o.reliefLastedDays !== null && o.reliefLastedDays >= c.lastedDays);
};

/** The index of the first of `sorted` that is ≥ `v` (sorted.length when none is). */
function lowerBound(sorted: readonly number[], v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The most counted injections in the region (the new one included) in any window of `w` days holding `day`. */
function busiestWindow(p: Prepared, day: number, w: number): number {
  const days = p.regionDays;
  const inRange = (from: number, to: number) => lowerBound(days, to + 1) - lowerBound(days, from);
  // A window holding `day` can slide right until it starts at a date ≤ day without losing any date,
  // so the busiest one starts at `day` or at an injection in (day − w, day].
  let best = inRange(day, day + w - 1) + 1;
  for (let k = lowerBound(days, day - w + 1); k < days.length && days[k]! <= day; k++) {
    const start = days[k]!;
    best = Math.max(best, inRange(start, start + w - 1) + 1);
  }
  return best;
}

function passes(p: Prepared, c: CoverageCheck, day: number): boolean {
  switch (c.code) {
    case 'C_CONSERVATIVE_DAYS':
      return day - p.conservativeStart >= c.days;
    case 'C_MIN_INTERVAL_DAYS':
      return p.all.every((d) => Math.abs(d - day) >= c.days);
    case 'C_MAX_PER_REGION':
      return busiestWindow(p, day, c.windowDays) <= c.count;
    case 'C_REPEAT_RELIEF':
      return p.region.every((r) => r.day >= day || r.day <= day - c.windowDays || reliefOk(r.inj, c));
    case 'C_MAX_LEVELS': {
      const { approach, levels = [] } = p.facts.booking;
      if (approach === 'transforaminal') return levels.length <= c.transforaminal;
      if (approach === 'interlaminar') return levels.length <= c.interlaminar;
      return true;
    }
  }
}

/** How far ahead a check can still change its verdict: past this day, every later day judges alike. */
function horizon(p: Prepared, c: CoverageCheck, day: number): number {
  const reach = c.code === 'C_MAX_PER_REGION' || c.code === 'C_REPEAT_RELIEF' ? c.windowDays : c.code === 'C_MAX_LEVELS' ? 0 : c.days;
  return Math.max(day, p.lastFact) + reach + 1;
}

/** For a check failing on `day`: a later day no earlier than the first one it can pass on. */
function nextCandidate(p: Prepared, c: CoverageCheck, day: number): number {
  switch (c.code) {
    case 'C_MIN_INTERVAL_DAYS':
      // The latest conflict stays one until `days` after it, on either side of it.
      return Math.max(day + 1, ...p.all.filter((d) => Math.abs(d - day) < c.days).map((d) => d + c.days));
    case 'C_REPEAT_RELIEF':
      // The latest earlier injection without the relief stays in the window until `windowDays` after it.
      return Math.max(
        day + 1,
        ...p.region.filter((r) => r.day < day && r.day > day - c.windowDays && !reliefOk(r.inj, c)).map((r) => r.day + c.windowDays),
      );
    case 'C_CONSERVATIVE_DAYS':
      return Math.max(day + 1, p.conservativeStart + c.days);
    case 'C_MAX_PER_REGION':
    case 'C_MAX_LEVELS':
      return day + 1;
  }
}

function untilOf(p: Prepared, c: CoverageCheck, day: number): number | null {
  if (c.code === 'C_MAX_LEVELS') return null; // no date changes the levels of a session
  const end = horizon(p, c, day);
  for (let d = day; d <= end; d = nextCandidate(p, c, d)) if (passes(p, c, d)) return d;
  return null;
}

function messageFor(p: Prepared, c: CoverageCheck, day: number, until: IsoDate | null): string {
  const from = until === null ? '' : ` Covered from ${until}.`;
  switch (c.code) {
    case 'C_CONSERVATIVE_DAYS':
      return `The payer requires ${c.days} days of conservative care before an injection (started ${p.facts.episode.conservativeCareStartedOn}).${from}`;
    case 'C_MIN_INTERVAL_DAYS': {
      const near = p.all.filter((d) => Math.abs(d - day) < c.days).map(fromDay);
      return `The payer requires injections at least ${c.days} days apart; another is on ${near.join(' and ')}.${from}`;
    }
    case 'C_MAX_PER_REGION':
      return `The payer covers at most ${c.count} ${p.facts.booking.region} injections within ${c.windowDays} days; this would be one more.${from}`;
    case 'C_REPEAT_RELIEF': {
      const lacking = p.region.filter((r) => r.day < day && r.day > day - c.windowDays && !reliefOk(r.inj, c)).map((r) => r.inj.localDate);
      const lasting = c.lastedDays > 0 ? ` lasting at least ${c.lastedDays} days` : '';
      return `The payer covers a repeat injection only after at least ${c.percent}% relief${lasting} from each earlier one within ${c.windowDays} days; not recorded for ${lacking.join(' and ')}.${from}`;
    }
    case 'C_MAX_LEVELS': {
      const limit = p.facts.booking.approach === 'interlaminar' ? c.interlaminar : c.transforaminal;
      return `The payer covers at most ${limit} ${limit === 1 ? 'level' : 'levels'} per ${p.facts.booking.approach ?? ''} session; ${p.facts.booking.levels?.length ?? 0} requested.`;
    }
  }
}

function judgePrepared(p: Prepared, checks: readonly CoverageCheck[], day: number): CoverageIssue[] {
  const issues: CoverageIssue[] = [];
  for (const c of checks) {
    if (passes(p, c, day)) continue;
    const u = untilOf(p, c, day);
    const until = u === null ? null : fromDay(u);
    issues.push({ check: c.code, message: messageFor(p, c, day, until), until });
  }
  return issues;
}

/** Every issue of `checks` for the booking as proposed; empty when the payer would pay. */
export function judgeCoverage(checks: readonly CoverageCheck[], facts: CoverageFacts): CoverageIssue[] {
  const p = prepare(facts);
  return judgePrepared(p, checks, toDay(facts.booking.localDate));
}

/** The version in effect on a date: the newest whose effectiveFrom is on or before it; before the
 * first version took effect, the first (there is nothing older to judge by). */
export function policyVersionOn<T extends PolicyVersion>(versions: readonly T[], date: IsoDate): T | undefined {
  const sorted = [...versions].sort((a, b) => a.version - b.version);
  let found = sorted[0];
  for (const v of sorted) if (v.effectiveFrom <= date) found = v;
  return found;
}

export interface EarliestCoveredInput {
  versions: readonly PolicyVersion[];
  facts: CoverageFacts;
  from: IsoDate;
  /** R1–R5's own search: the first date on or after `from` that passes them, or null when none does */
  earliestEligible: (from: IsoDate) => IsoDate | null;
}

/** The first date on or after `from` that passes R1–R5 and every check of the policy version in effect
 * on it, or null when none does. It may fall in a gap between future bookings. */
export function earliestCoveredDate(input: EarliestCoveredInput): IsoDate | null {
  const p = prepare(input.facts);
  const boundaries = [...new Set(input.versions.map((v) => toDay(v.effectiveFrom)))].sort((a, b) => a - b);
  let day = toDay(input.from);
  // Each turn moves past at least one failing day: to R1–R5's next date, to the latest `until` (no
  // earlier day can pass that check), or to the next policy version's first day. The bound only
  // guards against a defect; every check is settled within a few of its windows after the last fact.
  for (let turn = 0; turn < 10_000; turn++) {
    const eligible = input.earliestEligible(fromDay(day));
    if (eligible === null) return null;
    day = Math.max(day, toDay(eligible));
    const version = policyVersionOn(input.versions, fromDay(day));
    const checks = version?.checks ?? [];
    const failing = checks.filter((c) => !passes(p, c, day));
    if (failing.length === 0) return fromDay(day);
    let next = day + 1;
    for (const c of failing) {
      const u = untilOf(p, c, day);
      if (u === null) {
        next = Number.POSITIVE_INFINITY;
        break;
      }
      next = Math.max(next, u);
    }
    // A newer version may pass sooner: never jump over the day it takes effect.
    const boundary = boundaries.find((b) => b > day);
    if (boundary !== undefined && boundary < next) next = boundary;
    if (!Number.isFinite(next)) return null;
    day = next;
  }
  return null;
}
