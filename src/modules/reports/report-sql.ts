// SQL building blocks shared by the report's queries. The report reads with plain pg on one
// connection inside a read-only REPEATABLE READ transaction, so every section sees the same snapshot.
import type pg from 'pg';

export type Queryable = Pick<pg.ClientBase, 'query'>;

/** A timestamptz as the same ISO text JavaScript's toISOString gives (UTC, milliseconds, Z). */
export const iso = (expr: string) => `to_char((${expr}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** An audit event's episode snapshot (jsonb) records an R1 exemption: severe, or any neurological sign. */
export const jsonExempt = (j: string) =>
  `coalesce((${j})->>'severity' = 'severe' OR CASE WHEN jsonb_typeof((${j})->'neurologicalSigns') = 'array'
     THEN jsonb_array_length((${j})->'neurologicalSigns') > 0 ELSE false END, false)`;

/** The episode row records an R1 exemption now. */
export const rowExempt = (e: string) => `(${e}.severity = 'severe' OR coalesce(cardinality(${e}."neurologicalSigns"), 0) > 0)`;

export const COUNTED = `('scheduled', 'completed')`;

/** Rows with a window `count(*) OVER () AS total` column: the total and the rows without it. */
export function withTotal<T>(rows: (T & { total: number })[]): { count: number; items: T[] } {
  const count = rows[0]?.total ?? 0;
  return { count, items: rows.map(({ total: _t, ...rest }) => rest as T) };
}
