// The scheduling write path on raw pg prepared statements: a transaction on one pooled connection, the
// patient row lock that queues every change of one patient's bookings (across instances), and the
// injection rows themselves. Statements are parsed once per connection. No rules here.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { AUDIT_ACTOR_COLUMNS, AUDIT_ACTOR_PARAMS, auditActorValues } from '../audit/audit-sql.ts';
import type { RequestContext } from '../audit/audit.repository.ts';
import { isoToDate } from '../../shared/dates.ts';
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

/** The columns of injectionSelect, dates as text (turned into the UTC-midnight Dates Prisma returns). */
export const INJECTION_COLUMNS = `i.id, i."patientId", i."episodeId", i."scheduledAt", to_char(i."localDate", 'YYYY-MM-DD') AS "localDate",
  i.levels::text[] AS levels, i.approach, i.side, i.status, i."performedAt", i."cancelReason", i."painBefore", i."painAfter", i."percentImprovement",
  to_char(i."assessedOn", 'YYYY-MM-DD') AS "assessedOn", i."reliefLastedDays", i."createdAt", i."updatedAt"`;

export type InjectionTextRow = Omit<InjectionRow, 'localDate' | 'assessedOn'> & { localDate: string; assessedOn: string | null };

export const toInjectionRow = (r: InjectionTextRow): InjectionRow => ({
  ...r,
  localDate: isoToDate(r.localDate),
  assessedOn: r.assessedOn === null ? null : isoToDate(r.assessedOn),
});

/** Locks the injection's patient, then reads the injection; null when there is no such injection. */
export async function lockInjection(client: pg.PoolClient, id: string): Promise<InjectionRow | null> {
  const owner = await client.query<{ patientId: string }>({
    name: 'inj-owner',
    text: 'SELECT "patientId" FROM injections WHERE id = $1::uuid',
    values: [id],
  });
  const patientId = owner.rows[0]?.patientId;
  if (patientId === undefined) return null;
  await lockPatientRow(client, patientId);
  const { rows } = await client.query<InjectionTextRow>({
    name: 'inj-locked',
    text: `SELECT ${INJECTION_COLUMNS} FROM injections i WHERE i.id = $1::uuid`,
    values: [id],
  });
  return rows[0] ? toInjectionRow(rows[0]) : null;
}

export interface InjectionChange {
  scheduledAt?: Date;
  localDate?: string;
  levels?: string[];
  approach?: InjectionRow['approach'];
  side?: InjectionRow['side'];
  status?: InjectionRow['status'];
  performedAt?: Date;
  performedBy?: { id: string; name: string };
  cancelReason?: string;
  outcome?: {
    painBefore: number;
    painAfter: number;
    percentImprovement: number | null;
    assessedOn: string;
    reliefLastedDays: number | null;
  };
}

/** Applies a change to one injection and returns the row as it now is. Each column is set only when
 * the change names it (COALESCE keeps the rest), so one prepared statement serves every change. */
const UPDATE_SQL = `UPDATE injections i SET
    "scheduledAt" = COALESCE($2::timestamptz, i."scheduledAt"),
    "localDate" = COALESCE($3::date, i."localDate"),
    levels = COALESCE($4::varchar(10)[], i.levels),
    approach = COALESCE($5::"Approach", i.approach),
    side = COALESCE($6::"Side", i.side),
    status = COALESCE($7::"InjectionStatus", i.status),
    "performedAt" = COALESCE($8::timestamptz, i."performedAt"),
    "performedById" = COALESCE($9::uuid, i."performedById"),
    "performedByName" = COALESCE($10::varchar, i."performedByName"),
    "cancelReason" = COALESCE($11::varchar, i."cancelReason"),
    "painBefore" = CASE WHEN $12::boolean THEN $13::smallint ELSE i."painBefore" END,
    "painAfter" = CASE WHEN $12::boolean THEN $14::smallint ELSE i."painAfter" END,
    "percentImprovement" = CASE WHEN $12::boolean THEN $15::smallint ELSE i."percentImprovement" END,
    "assessedOn" = CASE WHEN $12::boolean THEN $16::date ELSE i."assessedOn" END,
    "reliefLastedDays" = CASE WHEN $12::boolean THEN $17::int ELSE i."reliefLastedDays" END,
    "updatedAt" = $18::timestamptz
  WHERE i.id = $1::uuid
  RETURNING ${INJECTION_COLUMNS}`;

export async function updateInjection(client: pg.PoolClient, id: string, c: InjectionChange, now: Date): Promise<InjectionRow> {
  const o = c.outcome;
  const { rows } = await client.query<InjectionTextRow>({
    name: 'inj-update',
    text: UPDATE_SQL,
    values: [
      id,
      c.scheduledAt ?? null,
      c.localDate ?? null,
      c.levels ?? null,
      c.approach ?? null,
      c.side ?? null,
      c.status ?? null,
      c.performedAt ?? null,
      c.performedBy?.id ?? null,
      c.performedBy?.name ?? null,
      c.cancelReason ?? null,
      o !== undefined,
      o?.painBefore ?? null,
      o?.painAfter ?? null,
      o?.percentImprovement ?? null,
      o?.assessedOn ?? null,
      o?.reliefLastedDays ?? null,
      now,
    ],
  });
  const row = rows[0];
  if (!row) throw new Error(`injection ${id} vanished under its patient's lock`);
  return toInjectionRow(row);
}

export const INSERT_BOOKING_SQL = `WITH ins AS (
    INSERT INTO injections (id, "patientId", "episodeId", "scheduledAt", "localDate", levels, approach, side, status, "bookedById", "bookedByName", "createdAt", "updatedAt")
    VALUES ($6::uuid, $7::uuid, $8::uuid, $9::timestamptz, $10::date, $11::varchar(10)[], $12::"Approach", $13::"Side", 'scheduled', $2::uuid, $3, $14::timestamptz, $14::timestamptz)
    RETURNING id, "patientId")
  INSERT INTO audit_events (${AUDIT_ACTOR_COLUMNS}, action, "entityType", "entityId", "patientId", at, after)
  SELECT ${AUDIT_ACTOR_PARAMS}, 'injection.book', 'injection', ins.id::text, ins."patientId", $14::timestamptz, $1::jsonb FROM ins`;

export interface NewBooking {
  patientId: string;
  episodeId: string;
  scheduledAt: Date;
  localDate: string;
  levels: string[];
  approach: InjectionRow['approach'];
  side: InjectionRow['side'];
}

/** Inserts the injection and its audit row in one statement; the row is built here (id and timestamps
 * client-side) so the audit row can carry the answer's DTO. */
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
    levels: b.levels,
    approach: b.approach,
    side: b.side,
    status: 'scheduled',
    performedAt: null,
    cancelReason: null,
    painBefore: null,
    painAfter: null,
    percentImprovement: null,
    assessedOn: null,
    reliefLastedDays: null,
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
      b.levels,
      b.approach,
      b.side,
      now,
    ],
  });
  return row;
}
