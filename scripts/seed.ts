// `npm run seed -- --patients 100000 --injections 1000000 [--database-url URL] [--reset] [--no-audit]`
// Loads a synthetic multi-site clinic (fake names only) into an empty database in one transaction:
// secondary indexes, foreign keys and the R2 exclusion constraint are dropped first and re-created after
// the bulk INSERT … SELECT statements, which is several times faster than maintaining them row by row,
// and re-creating the constraints re-checks every row against them.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { migrate } from '../src/db/migrate.ts';
import { todayIn } from '../src/shared/dates.ts';
import { seedStatements } from './seed-sql.ts';
import { dropSecondaryStructures, type SavedStructures } from './seed-structures.ts';

const DEFAULT_URL = 'postgresql://postgres@127.0.0.1:5432/esi_bench';
const BIG_TABLES = ['patients', 'episodes', 'injections', 'audit_events'];

function parse() {
  const { values } = parseArgs({
    options: {
      patients: { type: 'string', default: '100000' },
      injections: { type: 'string', default: '1000000' },
      'database-url': { type: 'string' },
      timezone: { type: 'string' },
      today: { type: 'string' },
      reset: { type: 'boolean', default: false },
      'no-audit': { type: 'boolean', default: false },
    },
  });
  const config = loadConfig();
  const patients = Number(values.patients);
  const injections = Number(values.injections);
  if (!Number.isInteger(patients) || patients < 1 || !Number.isInteger(injections) || injections < 0) {
    throw new Error('--patients must be a positive integer and --injections a non-negative integer');
  }
  const zone = values.timezone ?? config.clinicTimeZone;
  return {
    url: values['database-url'] ?? config.databaseUrl ?? DEFAULT_URL,
    patients,
    injections,
    zone,
    today: values.today ?? todayIn(zone, new Date()),
    reset: values.reset,
    audit: !values['no-audit'],
  };
}

/** Creates the database when missing; with --reset drops it first (only names meant for throwaway data). */
async function ensureDatabase(url: string, reset: boolean): Promise<void> {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  if (reset && !/bench|test|seed|demo/.test(name)) throw new Error(`--reset refuses to drop "${name}": its name must contain bench, test, seed or demo`);
  u.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: u.toString() });
  await admin.connect();
  try {
    if (reset) await admin.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
}

const secs = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);

async function main(): Promise<void> {
  const opts = parse();
  const started = performance.now();
  await ensureDatabase(opts.url, opts.reset);
  await migrate(opts.url);
  const client = new pg.Client({ connectionString: opts.url, application_name: 'esi-seed' });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM patients');
    if (Number(rows[0]?.n) > 0) throw new Error(`The database already holds ${rows[0]?.n} patients; seed an empty one or pass --reset`);
    console.log(`Seeding ${opts.patients} patients and ${opts.injections} injections (today ${opts.today} in ${opts.zone}) into ${new URL(opts.url).pathname.slice(1)}`);
    await client.query('BEGIN');
    await client.query(`SET LOCAL synchronous_commit = off; SET LOCAL maintenance_work_mem = '1GB'; SET LOCAL work_mem = '256MB'`);
    // Attribution for the seeded rows; these keys have no usable secret (random hashes).
    await client.query(`INSERT INTO api_keys (id, name, role, "keyHash", prefix, "createdAt")
      SELECT gen_random_uuid(), n, r::"Role", encode(sha256(gen_random_uuid()::text::bytea), 'hex'), 'seed', now() - interval '11 years'
        FROM (VALUES ('seed-front-desk', 'front_desk'), ('seed-clinician', 'clinician')) v(n, r)`);
    const saved: SavedStructures = await dropSecondaryStructures(client, BIG_TABLES);
    for (const s of seedStatements(opts)) {
      const t0 = performance.now();
      await client.query(s.sql);
      console.log(`  ${s.label.padEnd(18)} ${secs(t0)} s`);
    }
    for (const s of saved.recreate) {
      const t0 = performance.now();
      await client.query(s.sql);
      console.log(`  ${s.label.padEnd(18)} ${secs(t0)} s`);
    }
    await client.query('COMMIT');
    const t0 = performance.now();
    await client.query(`VACUUM (ANALYZE) ${BIG_TABLES.join(', ')}`);
    console.log(`  ${'vacuum analyze'.padEnd(18)} ${secs(t0)} s`);
    const counts = await client.query<{ t: string; n: string }>(`SELECT 'patients' t, count(*) n FROM patients UNION ALL SELECT 'episodes', count(*) FROM episodes
      UNION ALL SELECT 'injections', count(*) FROM injections UNION ALL SELECT 'audit_events', count(*) FROM audit_events`);
    console.log(counts.rows.map((r) => `${r.t}=${r.n}`).join(' '));
    console.log(`Seeded in ${secs(started)} s`);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}

main().catch((err: unknown) => {
  console.error(`Seed failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
