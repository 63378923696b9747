// Booking's write path on raw pg: the same transaction the Prisma path ran (patient row lock, then the
// facts R1-R3 are judged on, then the insert and its audit row) in five round trips of prepared
// statements. Prisma compiled each of its six queries per call, which made a booking cost tens of ms of
// CPU; the statements here are parsed once per connection. No rules here.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { AUDIT_ACTOR_COLUMNS, AUDIT_ACTOR_PARAMS, auditActorValues } from '../audit/audit-sql.ts';
import type { RequestContext } from '../audit/audit.repository.ts';
import { isoToDate } from '../../shared/dates.ts';
import { RULE_FACTS_COLUMNS, ruleFactsFromRows, type RuleFacts, type RuleFactsRow } from './rule-facts.sql.ts';
import type { InjectionRow } from './injections.repository.ts';

/** Runs work in one transaction on one pooled connection; rolls back on any error. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (err) {
    // A connection that cannot even roll back is broken: destroy it rather than return it to the pool.
    await client.query('ROLLBACK').then(
      () => client.release(),
      (e: Error) => client.release(e),
    );
    throw err;
  }
}

/** Serialises every booking change for one patient across instances: the row lock is the queue. */
export async function lockPatientRow(client: pg.PoolClient, patientId: string): Promise<boolean> {
  const { rowCount } = await client.query({
    name: 'book-lock',
    text: 'SELECT id FROM patients WHERE id = $1::uuid FOR UPDATE',
    values: [patientId],
  });
  return rowCount === 1;
}

export const BOOKING_FACTS_SQL = `SELECT ${RULE_FACTS_COLUMNS}
  FROM (SELECT 1) one
  LEFT JOIN episodes e ON e.id = $2::uuid
  LEFT JOIN injections i ON i."patientId" = $1::uuid
 ORDER BY i."localDate"`;

/** The episode named in the request (null when no such episode) and every injection of the patient. */
export async function bookingFacts(client: pg.PoolClient, patientId: string, episodeId: string): Promise<RuleFacts> {
  const { rows } = await client.query<RuleFactsRow>({ name: 'book-facts', text: BOOKING_FACTS_SQL, values: [patientId, episodeId] });
  return ruleFactsFromRows(rows);
}

export const INSERT_BOOKING_SQL = `WITH ins AS (
    INSERT INTO injections (id, "patientId", "episodeId", "scheduledAt", "localDate", level, approach, side, status, "bookedById", "bookedByName", "createdAt", "updatedAt")
    VALUES ($6::uuid, $7::uuid, $8::uuid, $9::timestamptz, $10::date, $11, $12::"Approach", $13::"Side", 'scheduled', $2::uuid, $3, $14::timestamptz, $14::timestamptz)
    RETURNING id, "patientId")
  INSERT INTO audit_events (${AUDIT_ACTOR_COLUMNS}, action, "entityType", "entityId", "patientId", at, after)
  SELECT ${AUDIT_ACTOR_PARAMS}, 'injection.book', 'injection', ins.id::text, ins."patientId", $14::timestamptz, $1::jsonb FROM ins`;

export interface NewBooking {
  patientId: string;
  episodeId: string;
  scheduledAt: Date;
  localDate: string;
  level: string;
  approach: InjectionRow['approach'];
  side: InjectionRow['side'];
}

/** Inserts the injection and its audit row in one statement; the row is built here (id and timestamps
 * client-side, as Prisma did) so the audit row can carry the answer's DTO. */
export async function insertBooking(
  client: pg.PoolClient,
  ctx: RequestContext,
  b: NewBooking,
  now: Date,
  toDto: (r: InjectionRow) => unknown,
): Promise<InjectionRow> {
  const row: InjectionRow = {
    id: randomUUID(),
    patientId: b.patientId,
    episodeId: b.episodeId,
    scheduledAt: b.scheduledAt,
    localDate: isoToDate(b.localDate),
    level: b.level,
    approach: b.approach,
    side: b.side,
    status: 'scheduled',
    performedAt: null,
    cancelReason: null,
    painBefore: null,
    painAfter: null,
    percentImprovement: null,
    assessedOn: null,
    createdAt: now,
    updatedAt: now,
  };
  await client.query({
    name: 'book-insert',
    text: INSERT_BOOKING_SQL,
    values: [
      JSON.stringify(toDto(row)),
      ...auditActorValues(ctx),
      row.id,
      b.patientId,
      b.episodeId,
      b.scheduledAt,
      b.localDate,
      b.level,
      b.approach,
      b.side,
      now,
    ],
  });
  return row;
}
