// Every SQL statement of the FHIR API, on the pool as named (prepared) statements. Each read writes its
// audit row in the same statement (a data-modifying CTE that commits with it, as
// injections/injection-reads.repository.ts does), so no patient data leaves unaudited. Rows are
// returned in the shapes fhir.types.ts declares; instants as UTC ISO strings, dates as YYYY-MM-DD.
import type pg from 'pg';
import { AUDIT_ACTOR_PARAMS, AUDIT_INSERT, auditActorValues } from '../audit/audit-sql.ts';
import type { RequestContext } from '../audit/audit.repository.ts';
import type { EpisodeSource, InjectionSource, PatientRecord, PatientSource } from './fhir.types.ts';

const utc = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const PATIENT_COLUMNS = `p.id, p.mrn, p."givenName", p."familyName", to_char(p."birthDate", 'YYYY-MM-DD') AS "birthDate", p.phone, p.email`;

/** $1 patient id or null, $6 MRN or null, $7 the audit action. */
export const FHIR_PATIENT_SQL = `WITH p AS (SELECT * FROM patients WHERE id = $1::uuid OR mrn = $6::varchar),
  a AS (${AUDIT_INSERT} SELECT ${AUDIT_ACTOR_PARAMS}, $7::varchar, 'patient', p.id::text, p.id FROM p)
  SELECT ${PATIENT_COLUMNS} FROM p`;

/** The patient by id or MRN, auditing the read under `action`; null when none. */
export async function fhirPatient(
  pool: pg.Pool,
  ctx: RequestContext,
  by: { id: string } | { mrn: string },
  action: string,
): Promise<PatientSource | null> {
  const { rows } = await pool.query<PatientSource>({
    name: 'fhir-patient',
    text: FHIR_PATIENT_SQL,
    values: ['id' in by ? by.id : null, ...auditActorValues(ctx), 'mrn' in by ? by.mrn : null, action],
  });
  return rows[0] ?? null;
}

export const FHIR_RECORD_SQL = `WITH p AS (SELECT * FROM patients WHERE id = $1::uuid),
  a AS (${AUDIT_INSERT} SELECT ${AUDIT_ACTOR_PARAMS}, $6::varchar, 'patient', p.id::text, p.id FROM p)
  SELECT ${PATIENT_COLUMNS},
    COALESCE((SELECT json_agg(json_build_object(
        'id', e.id, 'patientId', e."patientId", 'region', e.region, 'diagnosis', e.diagnosis,
        'conservativeCareStartedOn', to_char(e."conservativeCareStartedOn", 'YYYY-MM-DD'), 'severity', e.severity,
        'neurologicalSigns', e."neurologicalSigns", 'status', e.status,
        'closedAt', ${utc('e."closedAt"')}, 'createdAt', ${utc('e."createdAt"')}) ORDER BY e."createdAt", e.id)
      FROM episodes e WHERE e."patientId" = p.id), '[]'::json) AS episodes,
    COALESCE((SELECT json_agg(json_build_object(
        'id', i.id, 'patientId', i."patientId", 'episodeId', i."episodeId", 'scheduledAt', ${utc('i."scheduledAt"')},
        'localDate', to_char(i."localDate", 'YYYY-MM-DD'), 'levels', i.levels, 'approach', i.approach, 'side', i.side,
        'status', i.status, 'performedAt', ${utc('i."performedAt"')}, 'cancelReason', i."cancelReason",
        'outcome', CASE WHEN i."painBefore" IS NULL OR i."painAfter" IS NULL OR i."assessedOn" IS NULL THEN NULL ELSE json_build_object(
          'painBefore', i."painBefore", 'painAfter', i."painAfter", 'percentImprovement', i."percentImprovement",
          'assessedOn', to_char(i."assessedOn", 'YYYY-MM-DD'), 'reliefLastedDays', i."reliefLastedDays") END)
        ORDER BY i."scheduledAt", i.id)
      FROM injections i WHERE i."patientId" = p.id), '[]'::json) AS injections
  FROM p`;

/** A patient's whole record (episodes and injections oldest first), auditing the read under `action`;
 * null when no such patient. */
export async function fhirPatientRecord(
  pool: pg.Pool,
  ctx: RequestContext,
  patientId: string,
  action: string,
): Promise<PatientRecord | null> {
  const { rows } = await pool.query<PatientSource & { episodes: EpisodeSource[]; injections: InjectionSource[] }>({
    name: 'fhir-record',
    text: FHIR_RECORD_SQL,
    values: [patientId, ...auditActorValues(ctx), action],
  });
  const row = rows[0];
  if (!row) return null;
  const { episodes, injections, ...patient } = row;
  return { patient, episodes, injections };
}
