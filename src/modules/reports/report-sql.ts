// SQL building blocks shared by the report's queries. The report reads with plain pg on one
// connection inside a read-only REPEATABLE READ transaction, so every section sees the same snapshot.
import type pg from 'pg';

export type Queryable = Pick<pg.ClientBase, 'query'>;

/** A timestamptz as the same ISO text JavaScript's toISOString gives (UTC, milliseconds, Z). */
export const iso = (expr: string) => `to_char((${expr}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Red flags (bowel/bladder change, saddle anaesthesia) never exempt from R1; they block (R4). */
export const RED_FLAGS_SQL = `ARRAY['bowel_bladder', 'saddle_anesthesia']::"NeurologicalSign"[]`;

/** An audit event's episode snapshot (jsonb) records an R1 exemption: severe, or a neurological sign
 * that is not a red flag. */
export const jsonExempt = (j: string) =>
  `coalesce((${j})->>'severity' = 'severe' OR CASE WHEN jsonb_typeof((${j})->'neurologicalSigns') = 'array'
     THEN EXISTS (SELECT 1 FROM jsonb_array_elements_text((${j})->'neurologicalSigns') s WHERE s NOT IN ('bowel_bladder', 'saddle_anesthesia')) ELSE false END, false)`;

/** The episode row records an R1 exemption now. */
export const rowExempt = (e: string) =>
  `(${e}.severity = 'severe' OR coalesce(cardinality(array(SELECT unnest(${e}."neurologicalSigns") EXCEPT SELECT unnest(${RED_FLAGS_SQL}))), 0) > 0)`;

/** The episode row records a red flag no clearance covers (R4 blocks it). */
export const rowRedFlagBlocked = (e: string) =>
  `(cardinality(array(SELECT unnest(${e}."neurologicalSigns") INTERSECT SELECT unnest(${RED_FLAGS_SQL}) EXCEPT SELECT unnest(${e}."clearedRedFlags"))) > 0)`;

export const COUNTED = `('scheduled', 'completed')`;

/** Rows with a window `count(*) OVER () AS total` column: the total and the rows without it. */
export function withTotal<T>(rows: (T & { total: number })[]): { count: number; items: T[] } {
  const count = rows[0]?.total ?? 0;
  return { count, items: rows.map(({ total: _t, ...rest }) => rest as T) };
}
