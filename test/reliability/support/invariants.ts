// The database's invariants, checked with SQL after each ordeal: what must hold whatever happened.
import type { TestDatabase } from './databases.ts';

export interface InvariantCounts {
  /** Pairs of counted injections (scheduled/completed) of one patient less than 14 days apart (R2). */
  r2Pairs: number;
  /** Patients with more than one open episode. */
  patientsWithSeveralOpenEpisodes: number;
  /** Injections whose episode belongs to another patient (R3). */
  injectionsOnOtherPatientsEpisode: number;
  /** Injections without the audit event of their booking (a half-written booking). */
  injectionsWithoutBookingAudit: number;
  /** Booking audit events whose injection does not exist. */
  bookingAuditsWithoutInjection: number;
}

export async function checkInvariants(db: TestDatabase): Promise<InvariantCounts> {
  const [row] = await db.query<Record<keyof InvariantCounts, string>>(`
    SELECT
      (SELECT count(*) FROM injections a JOIN injections b
          ON a."patientId" = b."patientId" AND a.id < b.id
         WHERE a.status IN ('scheduled', 'completed') AND b.status IN ('scheduled', 'completed')
           AND abs(a."localDate" - b."localDate") < 14) AS "r2Pairs",
      (SELECT count(*) FROM (SELECT "patientId" FROM episodes WHERE status = 'open'
          GROUP BY "patientId" HAVING count(*) > 1) s) AS "patientsWithSeveralOpenEpisodes",
      (SELECT count(*) FROM injections i JOIN episodes e ON e.id = i."episodeId"
         WHERE e."patientId" <> i."patientId") AS "injectionsOnOtherPatientsEpisode",
      (SELECT count(*) FROM injections i WHERE NOT EXISTS (SELECT 1 FROM audit_events a
          WHERE a.action = 'injection.book' AND a."entityId" = i.id::text)) AS "injectionsWithoutBookingAudit",
      (SELECT count(*) FROM audit_events a WHERE a.action = 'injection.book'
          AND NOT EXISTS (SELECT 1 FROM injections i WHERE i.id::text = a."entityId")) AS "bookingAuditsWithoutInjection"`);
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)])) as unknown as InvariantCounts;
}

export const NO_BREAKS: InvariantCounts = {
  r2Pairs: 0,
  patientsWithSeveralOpenEpisodes: 0,
  injectionsOnOtherPatientsEpisode: 0,
  injectionsWithoutBookingAudit: 0,
  bookingAuditsWithoutInjection: 0,
};

/** Of the given injection ids, those missing from the table or missing their booking audit event. */
export async function missingBookings(db: TestDatabase, ids: string[]): Promise<{ missing: string[]; withoutAudit: string[] }> {
  if (ids.length === 0) return { missing: [], withoutAudit: [] };
  const rows = await db.query<{ id: string; audited: boolean }>(
    `SELECT i.id::text AS id, EXISTS (SELECT 1 FROM audit_events a WHERE a.action = 'injection.book' AND a."entityId" = i.id::text) AS audited
       FROM injections i WHERE i.id = ANY($1::uuid[])`,
    [ids],
  );
  const found = new Map(rows.map((r) => [r.id, r.audited]));
  return { missing: ids.filter((id) => !found.has(id)), withoutAudit: ids.filter((id) => found.get(id) === false) };
}
