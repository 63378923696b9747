// Conversions between PostgreSQL `date` values as Prisma returns them (UTC midnight) and IsoDate text.
export const dateToIso = (d: Date): string => d.toISOString().slice(0, 10);
export const isoToDate = (iso: string): Date => new Date(`${iso}T00:00:00.000Z`);
export const instantToIso = (d: Date): string => d.toISOString();
export const optionalDate = (d: Date | null): string | null => (d ? dateToIso(d) : null);
export const optionalInstant = (d: Date | null): string | null => (d ? d.toISOString() : null);

// One Intl formatter per zone, made once: todayIn runs on every eligibility and patient read, and a
// luxon DateTime in a named zone costs several times more per call.
const dayFormats = new Map<string, Intl.DateTimeFormat>();
function dayFormat(zone: string): Intl.DateTimeFormat {
  let f = dayFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      calendar: 'gregory',
      numberingSystem: 'latn',
    });
    dayFormats.set(zone, f);
  }
  return f;
}

/** Today's calendar date in the clinic's zone. */
export function todayIn(zone: string, now: Date): string {
  let y = '';
  let m = '';
  let d = '';
  for (const p of dayFormat(zone).formatToParts(now)) {
    if (p.type === 'year') y = p.value.padStart(4, '0');
    else if (p.type === 'month') m = p.value;
    else if (p.type === 'day') d = p.value;
  }
  return `${y}-${m}-${d}`;
}
