// The load itself, for the seed CLI and its test: one transaction into an empty, migrated database,
// with the rule checks run before COMMIT so a data set that broke a rule is never kept.
import type pg from 'pg';
import { seedStatements, type SeedParams } from './seed-sql.ts';
import { dropSecondaryStructures } from './seed-structures.ts';

const BIG_TABLES = ['patients', 'episodes', 'injections', 'audit_events'];

/** Each must count zero. R2 is held by the exclusion constraint re-created just before these run. */
const CHECKS: { label: string; sql: string }[] = [
  {
    label: 'R1: non-exempt injection within 42 days of conservative care',
    sql: `SELECT count(*) AS n FROM injections i JOIN episodes e ON e.id = i."episodeId"
           WHERE i."localDate" < e."conservativeCareStartedOn" + 42 AND e.severity <> 'severe' AND cardinality(e."neurologicalSigns") = 0`,
  },
  {
    label: "R3: injection on another patient's episode",
    sql: `SELECT count(*) AS n FROM injections i JOIN episodes e ON e.id = i."episodeId" WHERE e."patientId" <> i."patientId"`,
  },
  {
    label: 'scheduled injection on a closed episode',
    sql: `SELECT count(*) AS n FROM injections i JOIN episodes e ON e.id = i."episodeId" WHERE e.status = 'closed' AND i.status = 'scheduled'`,
  },
  {
    label: 'localDate not the clinic date of scheduledAt',
    sql: `SELECT count(*) AS n FROM injections WHERE ("scheduledAt" AT TIME ZONE $1)::date <> "localDate"`,
  },
];

export interface LoadLog {
  (line: string): void;
}

export async function loadSeed(client: pg.Client, p: SeedParams, log: LoadLog): Promise<Record<string, number>> {
  const secs = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);
  const step = async (label: string, sql: string, values: unknown[] = []) => {
    const t0 = performance.now();
    const r = await client.query<{ n: string }>(sql, values);
    log(`  ${label.padEnd(40)} ${secs(t0)} s`);
    return r;
  };
  const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM patients');
  if (Number(rows[0]?.n) > 0) throw new Error(`The database already holds ${rows[0]?.n} patients; seed an empty one or pass --reset`);
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL synchronous_commit = off; SET LOCAL maintenance_work_mem = '1GB'; SET LOCAL work_mem = '256MB'`);
    // Attribution for the seeded rows; these keys have no usable secret (random hashes).
    await client.query(`INSERT INTO api_keys (id, name, role, "keyHash", prefix, "createdAt")
      SELECT gen_random_uuid(), n, r::"Role", encode(sha256(gen_random_uuid()::text::bytea), 'hex'), 'seed', now() - interval '11 years'
        FROM (VALUES ('seed-front-desk', 'front_desk'), ('seed-clinician', 'clinician')) v(n, r)`);
    const saved = await dropSecondaryStructures(client, BIG_TABLES);
    for (const s of seedStatements(p)) await step(s.label, s.sql);
    for (const s of saved.recreate) await step(s.label, s.sql);
    for (const c of CHECKS) {
      const r = await step(`check ${c.label}`.slice(0, 40), c.sql, c.sql.includes('$1') ? [p.zone] : []);
      if (Number(r.rows[0]?.n) !== 0) throw new Error(`Seed check failed (${c.label}): ${r.rows[0]?.n} rows`);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  await step('vacuum analyze', `VACUUM (ANALYZE) ${BIG_TABLES.join(', ')}`);
  const counts = await client.query<{
    t: string;
    n: string;
  }>(`SELECT 'patients' t, count(*) n FROM patients UNION ALL SELECT 'episodes', count(*) FROM episodes
    UNION ALL SELECT 'injections', count(*) FROM injections UNION ALL SELECT 'audit_events', count(*) FROM audit_events`);
  return Object.fromEntries(counts.rows.map((r) => [r.t, Number(r.n)]));
}
