// Conversions between PostgreSQL `date` values as Prisma returns them (UTC midnight) and IsoDate text.
import { DateTime } from 'luxon';

export const dateToIso = (d: Date): string => d.toISOString().slice(0, 10);
export const isoToDate = (iso: string): Date => new Date(`${iso}T00:00:00.000Z`);
export const instantToIso = (d: Date): string => d.toISOString();
export const optionalDate = (d: Date | null): string | null => (d ? dateToIso(d) : null);
export const optionalInstant = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** Today's calendar date in the clinic's zone. */
export const todayIn = (zone: string, now: Date): string => DateTime.fromJSDate(now, { zone }).toISODate() ?? '';
