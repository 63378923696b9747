// When the nightly report is due. Pure: "now" and the zone are parameters.
// The report for date D is produced at 02:00 clinic time on D + 1. Where 02:00 does not exist that
// night (a spring-forward gap), it is due at the first instant after the gap; where 02:00 happens twice
// (a fall-back overlap in some zones), at the first of them.
import { DateTime } from 'luxon';

export const REPORT_HOUR = 2;

const dateOf = (d: string) => DateTime.fromISO(d, { zone: 'UTC' });
export const addDaysIso = (d: string, n: number): string => dateOf(d).plus({ days: n }).toFormat('yyyy-MM-dd');

/** The instant the report for `date` is due. */
export function reportDueAt(date: string, zone: string): Date {
  const next = dateOf(date).plus({ days: 1 });
  const wall = { year: next.year, month: next.month, day: next.day, hour: REPORT_HOUR, minute: 0 };
  const candidate = DateTime.fromObject(wall, { zone });
  if (candidate.hour === REPORT_HOUR && candidate.minute === 0) {
    // In an overlap luxon may choose the later offset: prefer the earlier instant with the same wall time.
    const earlier = candidate.minus({ hours: 1 });
    if (earlier.hour === REPORT_HOUR && earlier.minute === 0) return earlier.toJSDate();
    return candidate.toJSDate();
  }
  // 02:00 falls in a gap. The gap ends at the instant the offset changes; it lies between 02:00 read
  // with the later offset and 02:00 read with the earlier one. Binary search it to the millisecond.
  const offsetAt = (ms: number) => DateTime.fromMillis(ms, { zone }).offset;
  const wallMs = Date.UTC(next.year, next.month - 1, next.day, REPORT_HOUR);
  let lo = wallMs - 24 * 3_600_000; // surely before the change
  let hi = candidate.toMillis(); // past the change (luxon shifted forward)
  const before = offsetAt(lo);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid) === before) lo = mid;
    else hi = mid;
  }
  return new Date(hi);
}

/** The latest date whose report is due at or before `now` (yesterday once 02:00 has passed). */
export function latestDueDate(now: Date, zone: string): string {
  const today = DateTime.fromJSDate(now, { zone }).toFormat('yyyy-MM-dd');
  const yesterday = addDaysIso(today, -1);
  return reportDueAt(yesterday, zone).getTime() <= now.getTime() ? yesterday : addDaysIso(today, -2);
}

/** The dates to produce now: the nights of the last `maxDays` up to the latest due one that have no
 * successful scheduled run yet, but none before the first night the scheduler ever produced (a new
 * installation starts with the latest due date; nights before it were not missed). */
export function datesToProduce(latestDue: string, done: ReadonlySet<string>, maxDays: number, firstProduced: string | null): string[] {
  if (firstProduced === null) return done.has(latestDue) ? [] : [latestDue];
  const out: string[] = [];
  for (let k = maxDays - 1; k >= 0; k--) {
    const d = addDaysIso(latestDue, -k);
    if (d >= firstProduced && !done.has(d)) out.push(d);
  }
  return out;
}
