// GET /v1/patients/:id in one round trip: the patient, the open episode and every injection (with its
// episode's region, for the flags), plus the audit row of the read in a data-modifying CTE that commits
// with the statement, before the answer is sent. One row per injection (at least one row when the
// patient exists). Dates are selected as text and returned as the UTC-midnight Dates Prisma gives.
import type pg from 'pg';
import { AUDIT_ACTOR_PARAMS, AUDIT_INSERT, auditActorValues } from '../audit/audit-sql.ts';
import type { RequestContext } from '../audit/audit.repository.ts';
import { isoToDate } from '../../shared/dates.ts';
import type { EpisodeRow } from '../episodes/episodes.repository.ts';
import { INJECTION_COLUMNS, toInjectionRow, type InjectionTextRow } from '../injections/booking.repository.ts';
import type { InjectionRow } from '../injections/injections.repository.ts';
import type { PatientRow } from './patients.repository.ts';

export const PATIENT_DETAIL_SQL = `WITH p AS (SELECT * FROM patients WHERE id = $1::uuid),
  a AS (${AUDIT_INSERT} SELECT ${AUDIT_ACTOR_PARAMS}, 'patient.read', 'patient', p.id::text, p.id FROM p)
  SELECT p.id AS "pId", p.mrn AS "pMrn", p."givenName" AS "pGiven", p."familyName" AS "pFamily", to_char(p."birthDate", 'YYYY-MM-DD') AS "pBirth",
         p.phone AS "pPhone", p.email AS "pEmail", p."createdAt" AS "pCreated", p."updatedAt" AS "pUpdated",
         e.id AS "eId", e.region AS "eRegion", e.diagnosis AS "eDiagnosis", to_char(e."conservativeCareStartedOn", 'YYYY-MM-DD') AS "eStarted",
         e.therapies::text[] AS "eTherapies", e.severity AS "eSeverity", e."neurologicalSigns"::text[] AS "eSigns", e.status AS "eStatus",
         e."closedReason" AS "eClosedReason", e."closedAt" AS "eClosedAt", e."createdAt" AS "eCreated", e."updatedAt" AS "eUpdated",
         e."clearedRedFlags"::text[] AS "eCleared", ec.consultations AS "eConsultations", ec.clearances AS "eClearances",
         ${INJECTION_COLUMNS}, ie.region AS "region"
    FROM p LEFT JOIN episodes e ON e."patientId" = p.id AND e.status = 'open'
           LEFT JOIN LATERAL (SELECT
             (SELECT coalesce(json_agg(json_build_object('id', c.id, 'allowInjections', c."allowInjections", 'note', c.note, 'recordedAt', c."recordedAt",
                                                         'recordedById', c."recordedById", 'recordedByName', c."recordedByName") ORDER BY c.seq), '[]')
                FROM consultations c WHERE c."episodeId" = e.id) AS consultations,
             (SELECT coalesce(json_agg(json_build_object('id', r.id, 'redFlags', r."redFlags", 'reason', r.reason, 'recordedAt', r."recordedAt",
                                                         'recordedById', r."recordedById", 'recordedByName', r."recordedByName") ORDER BY r.seq), '[]')
                FROM red_flag_clearances r WHERE r."episodeId" = e.id) AS clearances) ec ON e.id IS NOT NULL
           LEFT JOIN injections i ON i."patientId" = p.id
           LEFT JOIN episodes ie ON ie.id = i."episodeId"
   ORDER BY i."localDate", i."scheduledAt"`;

interface DetailRow extends InjectionTextRow {
  pId: string;
  pMrn: string;
  pGiven: string;
  pFamily: string;
  pBirth: string;
  pPhone: string | null;
  pEmail: string | null;
  pCreated: Date;
  pUpdated: Date;
  eId: string | null;
  eRegion: EpisodeRow['region'];
  eDiagnosis: string;
  eStarted: string;
  eTherapies: EpisodeRow['therapies'];
  eSeverity: EpisodeRow['severity'];
  eSigns: EpisodeRow['neurologicalSigns'];
  eStatus: EpisodeRow['status'];
  eClosedReason: string | null;
  eClosedAt: Date | null;
  eCreated: Date;
  eUpdated: Date;
  eCleared: EpisodeRow['clearedRedFlags'];
  eConsultations: JsonRecord<{ allowInjections: number; note: string }>[] | null;
  eClearances: JsonRecord<{ redFlags: EpisodeRow['neurologicalSigns']; reason: string }>[] | null;
  region: EpisodeRow['region'];
}

/** A consultation or clearance as json_build_object gives it: the instant as text. */
type JsonRecord<T> = T & { id: string; recordedAt: string; recordedById: string | null; recordedByName: string };
const withDate = <T>(r: JsonRecord<T>) => ({ ...r, recordedAt: new Date(r.recordedAt) });

export interface PatientDetailRows {
  patient: PatientRow;
  openEpisode: EpisodeRow | null;
  /** oldest first (clinic date, then time) */
  injections: (InjectionRow & { episode: { region: EpisodeRow['region'] } })[];
}

export async function patientDetailRows(pool: pg.Pool, ctx: RequestContext, id: string): Promise<PatientDetailRows | null> {
  const { rows } = await pool.query<DetailRow>({
    name: 'hot-patient-detail',
    text: PATIENT_DETAIL_SQL,
    values: [id, ...auditActorValues(ctx)],
  });
  const r = rows[0];
  if (!r) return null;
  const patient: PatientRow = {
    id: r.pId,
    mrn: r.pMrn,
    givenName: r.pGiven,
    familyName: r.pFamily,
    birthDate: isoToDate(r.pBirth),
    phone: r.pPhone,
    email: r.pEmail,
    createdAt: r.pCreated,
    updatedAt: r.pUpdated,
  };
  const openEpisode: EpisodeRow | null =
    r.eId === null
      ? null
      : {
          id: r.eId,
          patientId: r.pId,
          region: r.eRegion,
          diagnosis: r.eDiagnosis,
          conservativeCareStartedOn: isoToDate(r.eStarted),
          therapies: r.eTherapies,
          severity: r.eSeverity,
          neurologicalSigns: r.eSigns,
          status: r.eStatus,
          closedReason: r.eClosedReason,
          closedAt: r.eClosedAt,
          createdAt: r.eCreated,
          updatedAt: r.eUpdated,
          clearedRedFlags: r.eCleared,
          consultations: (r.eConsultations ?? []).map(withDate),
          redFlagClearances: (r.eClearances ?? []).map(withDate),
        };
  const injections = rows.filter((x) => x.id !== null).map((x) => ({ ...toInjectionRow(x), episode: { region: x.region } }));
  return { patient, openEpisode, injections };
}
