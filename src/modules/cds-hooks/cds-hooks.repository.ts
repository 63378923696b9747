// Every SQL statement of the CDS Hooks service, on the pool as named (prepared) statements: the seen-jti
// store and the patient look-up, whose audit row is written in the same statement. No rules here.
import type pg from 'pg';
import { AUDIT_ACTOR_PARAMS, AUDIT_INSERT, auditActorValues } from '../audit/audit-sql.ts';
import type { RequestContext } from '../audit/audit.repository.ts';

/** Records an accepted token's jti until it expires; false when it is already recorded and unexpired
 * (a replay). Expired entries are purged on the way; a key that expired is taken over. */
export const REMEMBER_JTI_SQL = `WITH purge AS (DELETE FROM cds_jwt_seen WHERE "expiresAt" < now() - interval '1 hour')
  INSERT INTO cds_jwt_seen (issuer, jti, "expiresAt") VALUES ($1, $2, $3)
  ON CONFLICT (issuer, jti) DO UPDATE SET "expiresAt" = EXCLUDED."expiresAt", "seenAt" = now()
    WHERE cds_jwt_seen."expiresAt" < now()
  RETURNING 1 AS fresh`;

export async function rememberJti(pool: pg.Pool, issuer: string, jti: string, expiresAt: Date): Promise<boolean> {
  const { rows } = await pool.query({ name: 'cds-remember-jti', text: REMEMBER_JTI_SQL, values: [issuer, jti, expiresAt] });
  return rows.length === 1;
}

/** $1 the id (a UUID) or null, $6 the MRN or null. An id match wins over an MRN match. */
export const CDS_PATIENT_SQL = `WITH p AS (SELECT id FROM patients WHERE id = $1::uuid OR mrn = $6::varchar ORDER BY (id = $1::uuid) DESC NULLS LAST LIMIT 1),
  a AS (${AUDIT_INSERT} SELECT ${AUDIT_ACTOR_PARAMS}, 'cds.appointment-book', 'patient', p.id::text, p.id FROM p)
  SELECT id FROM p`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MRN = /^[A-Za-z0-9-]{1,32}$/;

/** The service's patient for an EHR's `context.patientId`: by id, else by MRN; audits the call. */
export async function resolveCdsPatient(pool: pg.Pool, ctx: RequestContext, given: string): Promise<string | null> {
  const id = UUID.test(given) ? given.toLowerCase() : null;
  const mrn = MRN.test(given) ? given : null;
  if (id === null && mrn === null) return null;
  const { rows } = await pool.query<{ id: string }>({
    name: 'cds-patient',
    text: CDS_PATIENT_SQL,
    values: [id, ...auditActorValues(ctx), mrn],
  });
  return rows[0]?.id ?? null;
}
