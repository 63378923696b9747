// The hot reads (history, a day's schedule; eligibility's facts are in rule-facts.repository.ts) as one raw SQL statement each: the read and its
// audit-row insert travel in a single round trip (a data-modifying CTE commits with the statement, so
// the audit row is durable before the answer leaves, as with writeAudit). Named statements are
// prepared once per pooled connection. Dates are selected as text and turned into the UTC-midnight Dates
// Prisma returns, so the same DTO mappers serve both paths. No rules here.
import type pg from 'pg';
import { AUDIT_ACTOR_COLUMNS, AUDIT_ACTOR_PARAMS, AUDIT_INSERT, auditActorValues } from '../audit/audit-sql.ts';
import type { RequestContext } from '../audit/audit.repository.ts';
import { INJECTION_COLUMNS, toInjectionRow, type InjectionTextRow } from './booking.repository.ts';
import type { InjectionRow } from './injections.repository.ts';

export const HISTORY_SQL = `WITH p AS (SELECT id FROM patients WHERE id = $1::uuid),
  a AS (${AUDIT_INSERT} SELECT ${AUDIT_ACTOR_PARAMS}, 'injection.history.read', 'patient', p.id::text, p.id FROM p)
  SELECT ${INJECTION_COLUMNS}, e.region
    FROM p LEFT JOIN injections i ON i."patientId" = p.id LEFT JOIN episodes e ON e.id = i."episodeId"
   ORDER BY i."localDate", i."scheduledAt"`;

/** The patient's injections oldest first with their episode's region, auditing the read; null when no such patient. */
export async function historyRows(
  pool: pg.Pool,
  ctx: RequestContext,
  patientId: string,
): Promise<(InjectionRow & { region: string })[] | null> {
  const { rows } = await pool.query<(InjectionTextRow & { region: string }) | { id: null }>({
    name: 'hot-history',
    text: HISTORY_SQL,
    values: [patientId, ...auditActorValues(ctx)],
  });
  if (rows.length === 0) return null;
  return rows
    .filter((r): r is InjectionTextRow & { region: string } => r.id !== null)
    .map((r) => ({ ...toInjectionRow(r), region: r.region }));
}

// One page of a day's schedule in (scheduledAt, id) order, one row more than the page to tell whether
// another page follows, and ONE audit event for the page naming every patient it shows. $6 is the page
// size; $7/$8 the (scheduledAt, id) of the previous page's last row.
const schedulePageSql = (after: boolean) => `WITH r AS (
    SELECT ${INJECTION_COLUMNS}, p.mrn, p."givenName", p."familyName"
      FROM injections i JOIN patients p ON p.id = i."patientId"
     WHERE i."localDate" = $1::date${after ? ' AND i."scheduledAt" >= $7::timestamptz AND (i."scheduledAt", i.id) > ($7::timestamptz, $8::uuid)' : ''}
     ORDER BY i."scheduledAt", i.id LIMIT $6::int + 1),
  a AS (INSERT INTO audit_events (${AUDIT_ACTOR_COLUMNS}, action, "entityType", "entityId", "patientIds", after)
        SELECT ${AUDIT_ACTOR_PARAMS}, 'schedule.read', 'schedule', $1::text,
               ARRAY(SELECT DISTINCT s."patientId" FROM (SELECT "patientId" FROM r ORDER BY "scheduledAt", id LIMIT $6::int) s),
               jsonb_build_object('date', $1::text))
  SELECT * FROM r ORDER BY "scheduledAt", id`;

export const SCHEDULE_SQL = schedulePageSql(false);
export const SCHEDULE_AFTER_SQL = schedulePageSql(true);

export type ScheduleRow = InjectionRow & { patient: { id: string; mrn: string; givenName: string; familyName: string } };

/** Where the next page of a day starts: the last row shown. */
export interface ScheduleKey {
  scheduledAt: Date;
  id: string;
}

/** Up to `limit` of the day's injections after `after`, with patient names, and whether more follow;
 * one audit event for the page. */
export async function schedulePage(
  pool: pg.Pool,
  ctx: RequestContext,
  date: string,
  limit: number,
  after: ScheduleKey | undefined,
): Promise<{ rows: ScheduleRow[]; more: boolean }> {
  const { rows } = await pool.query<InjectionTextRow & { mrn: string; givenName: string; familyName: string }>({
    name: after ? 'hot-schedule-after' : 'hot-schedule',
    text: after ? SCHEDULE_AFTER_SQL : SCHEDULE_SQL,
    values: [date, ...auditActorValues(ctx), limit, ...(after ? [after.scheduledAt, after.id] : [])],
  });
  return {
    more: rows.length > limit,
    rows: rows.slice(0, limit).map((r) => ({
      ...toInjectionRow(r),
      patient: { id: r.patientId, mrn: r.mrn, givenName: r.givenName, familyName: r.familyName },
    })),
  };
}
