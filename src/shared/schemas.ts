// zod building blocks shared by every module's DTOs.
import { z } from 'zod';
import { isIsoDate } from '../modules/injections/injection.rules.ts';
import { AppError } from './errors.ts';

/** Years a clinic date can have. Outside them PostgreSQL (no year 0) or the day arithmetic (four-digit
 * years) would fail with a 500 instead of this 400; no patient, episode or booking is dated there. */
const MIN_YEAR = 1900;
const MAX_YEAR = 2199;
const inYears = (year: number) => year >= MIN_YEAR && year <= MAX_YEAR;

export const IsoDate = z
  .string()
  .max(10, 'must be a date YYYY-MM-DD')
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine(isIsoDate, 'must be a real calendar date')
  .refine((v) => inYears(Number(v.slice(0, 4))), `must be between ${MIN_YEAR}-01-01 and ${MAX_YEAR}-12-31`)
  .meta({ example: '2027-02-15' });

/** An instant with an explicit offset or Z (seconds optional); a naive local time is ambiguous and refused. */
const withSeconds = z.iso.datetime({ offset: true });
const minutesOnly = z.iso.datetime({ offset: true, precision: -1 });
export const Instant = z
  .string()
  .max(40, 'must be an ISO 8601 instant with an offset or Z, e.g. 2027-02-15T09:00:00-05:00')
  .refine((v) => withSeconds.safeParse(v).success || minutesOnly.safeParse(v).success, {
    message: 'must be an ISO 8601 instant with an offset or Z, e.g. 2027-02-15T09:00:00-05:00',
  })
  .refine((v) => inYears(new Date(v).getUTCFullYear()), `must be between years ${MIN_YEAR} and ${MAX_YEAR}`)
  .meta({ format: 'date-time', example: '2027-02-15T09:00:00-05:00' });

export const Uuid = z.uuid({ message: 'must be a UUID' }).max(36, 'must be a UUID');
export const IdParams = z.object({ id: Uuid });

export const Problem = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    violations: z.array(z.object({ rule: z.string(), message: z.string(), earliestEligibleDate: z.string().nullable() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const problems = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, Problem])) as Record<number, typeof Problem>;

export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
};

export const encodeCursor = (v: string) => Buffer.from(v, 'utf8').toString('base64url');

export const invalidCursor = () =>
  new AppError('REQUEST.VALIDATION', 'cursor is not valid', {
    errors: [{ path: 'querystring.cursor', message: 'is not a cursor returned by this endpoint' }],
  });

/** The text inside a cursor this service issued: canonical base64url of printable ASCII, or a 400.
 * (Node's decoder skips characters outside the alphabet, so a mangled cursor would otherwise decode
 * to something.) Each endpoint still checks the text's own shape, e.g. with `readCursor`. */
export function decodeCursor(c: string | undefined): string | undefined {
  if (c === undefined) return undefined;
  const text = Buffer.from(c, 'base64url').toString('utf8');
  if (c.length === 0 || encodeCursor(text) !== c || !/^[\x20-\x7e]+$/.test(text)) throw invalidCursor();
  return text;
}

/** Decodes a cursor and parses its text; anything the parser refuses is the same 400. */
export function readCursor<T>(c: string | undefined, parse: (text: string) => T | undefined): T | undefined {
  const text = decodeCursor(c);
  if (text === undefined) return undefined;
  const value = parse(text);
  if (value === undefined) throw invalidCursor();
  return value;
}

/** A BIGINT id cursor: 1 … 2^63−1 (anything larger would be a 500 from PostgreSQL). */
export function bigintCursor(text: string): bigint | undefined {
  if (!/^[1-9]\d{0,18}$/.test(text)) return undefined;
  const v = BigInt(text);
  return v <= 9223372036854775807n ? v : undefined;
}

export const Page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
