// What the load needs from the seeded database: an API key, patient ids to rotate through, the busiest
// day, and (patient, episode, date) bookings that will all succeed.
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';

export interface Booking {
  patientId: string;
  episodeId: string;
}

export interface Fixtures {
  key: string;
  keyId: string;
  readIds: string[];
  busyDay: string;
  busyDayCount: number;
  bookings: Booking[];
  /** First booking date: 30 days past every existing injection; round r books 21·r days later. */
  bookingFrom: string;
  counts: { patients: number; injections: number };
}

export async function patientCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM patients`);
    return Number(rows[0]?.n ?? 0);
  } catch {
    return 0; // no database or no schema yet: seed it
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function prepareFixtures(url: string, sample: number): Promise<Fixtures> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // A front-desk key like a receptionist's workstation would hold; revoked again by revokeKey.
    const key = `esk_${randomBytes(32).toString('base64url')}`;
    const hash = createHash('sha256').update(key).digest('hex');
    const k = await client.query<{ id: string }>(
      `INSERT INTO api_keys (id, name, role, "keyHash", prefix) VALUES (gen_random_uuid(), 'bench-front-desk', 'front_desk', $1, $2) RETURNING id`,
      [hash, key.slice(0, 12)],
    );
    const read = await client.query<{ id: string }>(`SELECT id FROM patients ORDER BY random() LIMIT $1`, [sample]);
    const busy = await client.query<{ d: string; n: string }>(
      `SELECT to_char("localDate", 'YYYY-MM-DD') AS d, count(*) AS n FROM injections
        WHERE "localDate" BETWEEN current_date - 365 AND current_date + 30 GROUP BY 1 ORDER BY 2 DESC LIMIT 1`,
    );
    // Bookings every rule lets through: open lumbar episodes (the body books L4-L5 transforaminal)
    // without a red flag, holding fewer than two counted injections, each given a clinician's
    // consultation allowing 12 (R5), so the passes of a run never hit the consultation rule.
    const book = await client.query<Booking>(
      `SELECT e."patientId", e.id AS "episodeId" FROM episodes e
        WHERE e.status = 'open' AND e.region = 'lumbar' AND cardinality(e."neurologicalSigns") = 0
          AND (SELECT count(*) FROM injections i WHERE i."episodeId" = e.id AND i.status IN ('scheduled', 'completed')) < 2
        ORDER BY md5(e.id::text) LIMIT $1`,
      [sample],
    );
    await client.query(
      `INSERT INTO consultations (id, "episodeId", "patientId", "allowInjections", note, "recordedByName")
       SELECT gen_random_uuid(), b."episodeId", b."patientId", 12, 'benchmark bookings', 'bench'
         FROM jsonb_to_recordset($1::jsonb) AS b("episodeId" uuid, "patientId" uuid)
        WHERE NOT EXISTS (SELECT 1 FROM consultations c WHERE c."episodeId" = b."episodeId" AND c."allowInjections" = 12)`,
      [JSON.stringify(book.rows)],
    );
    const from = await client.query<{ d: string }>(`SELECT to_char(max("localDate") + 30, 'YYYY-MM-DD') AS d FROM injections`);
    const counts = await client.query<{ p: string; i: string }>(
      `SELECT (SELECT count(*) FROM patients) AS p, (SELECT count(*) FROM injections) AS i`,
    );
    return {
      key,
      keyId: k.rows[0]!.id,
      readIds: read.rows.map((r) => r.id),
      busyDay: busy.rows[0]?.d ?? new Date().toISOString().slice(0, 10),
      busyDayCount: Number(busy.rows[0]?.n ?? 0),
      bookings: book.rows,
      bookingFrom: from.rows[0]?.d ?? '2030-01-07',
      counts: { patients: Number(counts.rows[0]?.p), injections: Number(counts.rows[0]?.i) },
    };
  } finally {
    await client.end();
  }
}

export async function revokeKey(url: string, keyId: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`UPDATE api_keys SET "revokedAt" = now() WHERE id = $1`, [keyId]);
  } finally {
    await client.end();
  }
}

/** A date `days` after an ISO date. */
export function plusDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
