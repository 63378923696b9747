// The benchmark's synthetic clinic (scripts/seed-load.ts), small: exact counts, every rule held, and
// the variety the benchmark relies on (all statuses, closed and open episodes, DST change days).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../../scripts/seed-load.ts';
import { cloneTestDatabase, type TestDatabase } from '../helpers/database.ts';

let db: TestDatabase;
let client: pg.Client;
let counts: Record<string, number>;
const ZONE = 'America/New_York';

beforeAll(async () => {
  db = await cloneTestDatabase();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  counts = await loadSeed(client, { patients: 400, injections: 4000, today: '2026-11-27', zone: ZONE, audit: true }, () => undefined);
});

afterAll(async () => {
  await client.end();
  await db.drop();
});

const one = async (sql: string, values: unknown[] = []) => Number((await client.query<{ n: string }>(sql, values)).rows[0]?.n);

describe('seed', () => {
  it('loads exactly the patients and injections asked for, with an audit row for each creation', async () => {
    expect(counts.patients).toBe(400);
    expect(counts.injections).toBe(4000);
    expect(counts.audit_events).toBe(400 + counts.episodes! + 4000);
  });

  it('keeps counted injections of a patient at least 14 days apart (R2) and the constraint in place', async () => {
    expect(
      await one(`SELECT count(*) AS n FROM injections a JOIN injections b ON a."patientId" = b."patientId" AND a.id < b.id
      WHERE a.status IN ('scheduled', 'completed') AND b.status IN ('scheduled', 'completed') AND abs(a."localDate" - b."localDate") < 14`),
    ).toBe(0);
    expect(await one(`SELECT count(*) AS n FROM pg_constraint WHERE conname = 'injections_r2_interval_excl'`)).toBe(1);
  });

  it("starts conservative care 42 days before a non-exempt episode's injections (R1)", async () => {
    expect(
      await one(`SELECT count(*) AS n FROM injections i JOIN episodes e ON e.id = i."episodeId"
      WHERE i."localDate" < e."conservativeCareStartedOn" + 42 AND e.severity <> 'severe' AND cardinality(e."neurologicalSigns") = 0`),
    ).toBe(0);
    // Some exempt episodes do book inside the six weeks, so the exemption is exercised.
    expect(
      await one(`SELECT count(*) AS n FROM injections i JOIN episodes e ON e.id = i."episodeId"
      WHERE i."localDate" < e."conservativeCareStartedOn" + 42`),
    ).toBeGreaterThan(0);
  });

  it('has every status, open and closed episodes, at most one open per patient, weekdays only', async () => {
    const statuses = await client.query<{ status: string }>(`SELECT DISTINCT status::text FROM injections ORDER BY 1`);
    expect(statuses.rows.map((r) => r.status)).toEqual(['cancelled', 'completed', 'no_show', 'scheduled']);
    expect(await one(`SELECT count(*) AS n FROM episodes WHERE status = 'closed'`)).toBeGreaterThan(0);
    expect(await one(`SELECT count(*) AS n FROM episodes WHERE status = 'open'`)).toBeGreaterThan(0);
    expect(
      await one(`SELECT count(*) AS n FROM (SELECT "patientId" FROM episodes WHERE status = 'open' GROUP BY 1 HAVING count(*) > 1) x`),
    ).toBe(0);
    expect(await one(`SELECT count(*) AS n FROM injections WHERE extract(isodow FROM "localDate") > 5`)).toBe(0);
  });

  it('gives each appointment the clinic-local date of its instant, DST change days included', async () => {
    expect(await one(`SELECT count(*) AS n FROM injections WHERE ("scheduledAt" AT TIME ZONE $1)::date <> "localDate"`, [ZONE])).toBe(0);
    // Appointments are clinic wall times (08:00-16:30) on both sides of each change: the UTC offset
    // differs between summer and winter, the local hour never leaves clinic hours.
    expect(
      await one(
        `SELECT count(*) AS n FROM injections
      WHERE ("scheduledAt" AT TIME ZONE $1)::time NOT BETWEEN '08:00' AND '16:30'`,
        [ZONE],
      ),
    ).toBe(0);
    const offsets = await client.query<{ h: number }>(
      `SELECT DISTINCT (extract(epoch FROM ("scheduledAt" AT TIME ZONE 'UTC') - ("scheduledAt" AT TIME ZONE $1)) / 3600)::int AS h
      FROM injections ORDER BY 1`,
      [ZONE],
    );
    expect(offsets.rows.map((r) => r.h)).toEqual([4, 5]);
  });

  it('refuses to seed a database that already holds patients', async () => {
    await expect(
      loadSeed(client, { patients: 1, injections: 1, today: '2026-11-27', zone: ZONE, audit: false }, () => undefined),
    ).rejects.toThrow(/already holds/);
  });
});
