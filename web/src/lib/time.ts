// Clinic-time arithmetic with Intl only. Every time shown or entered is in the clinic's zone (the API
// names it in `timeZone`), never the browser's: a clinician travelling or a laptop set to UTC must see
// the same 9:00 the front desk booked.

const partsCache = new Map<string, Intl.DateTimeFormat>();
function partsFormat(zone: string): Intl.DateTimeFormat {
  let f = partsCache.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    partsCache.set(zone, f);
  }
  return f;
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallTime(ms: number, zone: string): Wall {
  const p: Record<string, number> = {};
  for (const part of partsFormat(zone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return {
    year: p.year ?? 0,
    month: p.month ?? 1,
    day: p.day ?? 1,
    hour: (p.hour ?? 0) % 24,
    minute: p.minute ?? 0,
    second: p.second ?? 0,
  };
}

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');

/** Minutes the zone is ahead of UTC at that instant (New York in winter: -300). */
export function offsetMinutes(ms: number, zone: string): number {
  const w = wallTime(ms, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** The calendar date (YYYY-MM-DD) in the zone at an instant; "today" when no instant is given. */
export function dateIn(zone: string, at: Date | string = new Date()): string {
  const w = wallTime(new Date(at).getTime(), zone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** HH:MM (24 h) in the zone, for time inputs. */
export function timeIn(zone: string, at: Date | string): string {
  const w = wallTime(new Date(at).getTime(), zone);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

/**
 * A clinic wall-clock date and time as an ISO instant carrying the zone's offset, e.g.
 * 2027-03-15T09:00:00-04:00. A time skipped by a DST jump resolves to the offset after the jump.
 */
export function zonedIso(date: string, time: string, zone: string): string {
  const [y = 0, mo = 1, d = 1] = date.split('-').map(Number);
  const [h = 0, mi = 0] = time.split(':').map(Number);
  const wallAsUtc = Date.UTC(y, mo - 1, d, h, mi);
  let offset = offsetMinutes(wallAsUtc, zone);
  offset = offsetMinutes(wallAsUtc - offset * 60_000, zone);
  const sign = offset < 0 ? '-' : '+';
  return `${date}T${pad(h)}:${pad(mi)}:00${sign}${pad(Math.trunc(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

/** "9:00 AM" in the zone. */
export function formatTime(at: string, zone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', minute: '2-digit' }).format(new Date(at));
}

/** "Fri, Nov 27, 2026 9:00 AM" in the zone. */
export function formatDateTime(at: string, zone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    weekday: 'short',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(new Date(at));
}

/** A calendar date as words: "Fri, Nov 27, 2026". Dates have no zone, so they are formatted in UTC. */
export function formatDate(
  iso: string,
  opts: Intl.DateTimeFormatOptions = { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' },
): string {
  return new Intl.DateTimeFormat('en-US', { ...opts, timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
}

export function addDays(iso: string, days: number): string {
  const t = new Date(`${iso}T00:00:00Z`).getTime() + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((new Date(`${to}T00:00:00Z`).getTime() - new Date(`${from}T00:00:00Z`).getTime()) / 86_400_000);
}

export const isIsoDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(new Date(`${v}T00:00:00Z`).getTime());

/** The zone the browser believes in: only a first guess until the API names the clinic's zone. */
export const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
