// The hot reads (history, a day's schedule; eligibility's facts are in rule-facts.repository.ts) as one raw SQL statement each: the read and its
// audit-row insert travel in a single round trip (a data-modifying CTE commits with the statement, so
// the audit row is durable before the answer leaves, as with writeAudit). Named statements are
// prepared once per pooled connection. Dates are selected as text and turned into the UTC-midnight Dates
// Prisma returns, so the same DTO mappers serve both paths. No rules here.
import type pg from 'pg';
import { AUDIT_ACTOR_PARAMS, AUDIT_INSERT, auditActorValues } from '../audit/audit-sql.ts';
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

export const SCHEDULE_SQL = `WITH r AS (
    SELECT ${INJECTION_COLUMNS}, p.mrn, p."givenName", p."familyName"
      FROM injections i JOIN patients p ON p.id = i."patientId" WHERE i."localDate" = $1::date),
  a AS (${AUDIT_INSERT} SELECT ${AUDIT_ACTOR_PARAMS}, 'schedule.read', 'injection', r.id::text, r."patientId" FROM r ORDER BY r."scheduledAt", r.id)
  SELECT * FROM r ORDER BY "scheduledAt", id`;

export type ScheduleRow = InjectionRow & { patient: { id: string; mrn: string; givenName: string; familyName: string } };

/** The day's injections with patient names; one audit row per injection shown, as the Prisma path wrote. */
export async function scheduleRows(pool: pg.Pool, ctx: RequestContext, date: string): Promise<ScheduleRow[]> {
  const { rows } = await pool.query<InjectionTextRow & { mrn: string; givenName: string; familyName: string }>({
    name: 'hot-schedule',
    text: SCHEDULE_SQL,
    values: [date, ...auditActorValues(ctx)],
  });
  return rows.map((r) => ({
    ...toInjectionRow(r),
    patient: { id: r.patientId, mrn: r.mrn, givenName: r.givenName, familyName: r.familyName },
  }));
}
