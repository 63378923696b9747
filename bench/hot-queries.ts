// The statements on the hot paths, with sample parameters, for bench/explain.ts. The fused reads are
// imported from the repositories that run them, so the plans shown are of the SQL that ships.
import { randomUUID } from 'node:crypto';
import { INSERT_BOOKING_SQL } from '../src/modules/injections/booking.repository.ts';
import { ELIGIBILITY_SQL, RULE_FACTS_SQL } from '../src/modules/injections/rule-facts.repository.ts';
import { HISTORY_SQL, SCHEDULE_SQL } from '../src/modules/injections/injection-reads.repository.ts';
import { PATIENT_DETAIL_SQL } from '../src/modules/patients/patient-detail.repository.ts';

export interface Sample {
  patient: string;
  episode: string;
  day: string;
  next: string;
  key: string;
}

export interface HotQuery {
  name: string;
  why: string;
  sql: string;
  values: (s: Sample) => unknown[];
}

const ACTOR = ['00000000-0000-4000-8000-0000000000be', 'explain', 'front_desk', 'explain-request'];

export const HOT_QUERIES: HotQuery[] = [
  {
    name: 'Authentication (every /v1 request)',
    why: 'One lookup on the unique index of `keyHash`; no cache, so a revoked key is refused on the next request on every instance.',
    sql: `SELECT id, name, role, "revokedAt" FROM api_keys WHERE "keyHash" = $1`,
    values: (s) => [s.key],
  },
  {
    name: 'GET /v1/patients/:id/eligibility',
    why: 'Open episode (partial unique index `episodes_one_open_per_patient`) and the injection facts (`injections_patientId_localDate_idx`, already in date order) with the audit insert, in one statement.',
    sql: ELIGIBILITY_SQL,
    values: (s) => [s.patient, ...ACTOR],
  },
  {
    name: 'GET /v1/patients/:id',
    why: 'Patient by primary key, open episode, every injection with its episode region (for the flags), and the audit insert, in one statement.',
    sql: PATIENT_DETAIL_SQL,
    values: (s) => [s.patient, ...ACTOR],
  },
  {
    name: 'GET /v1/patients/:id/injections',
    why: "The patient's injections oldest first with each episode's region, and the audit insert.",
    sql: HISTORY_SQL,
    values: (s) => [s.patient, ...ACTOR],
  },
  {
    name: 'GET /v1/schedule?date= (busiest day of the last year, first page of 100)',
    why: "The day's first 101 injections by `injections_localDate_scheduledAt_idx` (already in the order served), patients by primary key, and one audit row for the page naming its patients.",
    sql: SCHEDULE_SQL,
    values: (s) => [s.day, ...ACTOR, 100],
  },
  {
    name: 'POST /v1/injections — patient lock',
    why: 'Serialises bookings of one patient across instances (primary key, row lock).',
    sql: `SELECT id FROM patients WHERE id = $1::uuid FOR UPDATE`,
    values: (s) => [s.patient],
  },
  {
    name: 'POST /v1/injections — episode and injection facts',
    why: "The episode named in the request by primary key and the patient's injections (`injections_patientId_localDate_idx`) for R1–R3, read after the lock.",
    sql: RULE_FACTS_SQL,
    values: (s) => [s.patient, s.episode],
  },
  {
    name: 'POST /v1/injections — insert (checked by the R2 exclusion constraint) and its audit row',
    why: "One statement; the insert maintains the GiST index of `injections_r2_interval_excl`, which probes only this patient's date ranges.",
    sql: INSERT_BOOKING_SQL,
    values: (s) => [
      JSON.stringify({ explain: true }),
      ...ACTOR,
      randomUUID(),
      s.patient,
      s.episode,
      `${s.next}T15:00:00Z`,
      s.next,
      'L4-L5',
      'transforaminal',
      'left',
      new Date(),
    ],
  },
  {
    name: 'Baseline: plain',
    why: 'The reference point: one patient row by primary key.',
    sql: `SELECT id, mrn, "givenName", "familyName", "birthDate", phone, email, "createdAt", "updatedAt" FROM patients WHERE id = $1::uuid`,
    values: (s) => [s.patient],
  },
  {
    name: 'Baseline: audited',
    why: 'The second reference point: the same read plus an audit insert in one statement.',
    sql: `WITH a AS (INSERT INTO audit_events ("actorId", "actorName", "actorRole", action, "entityType", "entityId", "patientId", "requestId")
                VALUES ('00000000-0000-4000-8000-0000000000be', 'baseline', 'front_desk', 'patient.read', 'patient', $1::text, $1::uuid, 'explain'))
     SELECT id, mrn, "givenName", "familyName", "birthDate", phone, email, "createdAt", "updatedAt" FROM patients WHERE id = $1::uuid`,
    values: (s) => [s.patient],
  },
];
