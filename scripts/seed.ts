// `npm run seed -- --patients 100000 --injections 1000000 [--database-url URL] [--reset] [--no-audit]`
// Loads a synthetic multi-site clinic (fake names only) into an empty database in one transaction:
// secondary indexes, foreign keys and the R2 exclusion constraint are dropped first and re-created after
// the bulk INSERT … SELECT statements, which is several times faster than maintaining them row by row,
// and re-creating the constraints re-checks every row against them (seed-load.ts checks R1 and R3).
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { migrate } from '../src/db/migrate.ts';
import { todayIn } from '../src/shared/dates.ts';
import { loadSeed } from './seed-load.ts';

const DEFAULT_URL = 'postgresql://postgres@127.0.0.1:5432/esi_bench';

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
  if (reset && !/bench|test|seed|demo/.test(name))
    throw new Error(`--reset refuses to drop "${name}": its name must contain bench, test, seed or demo`);
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
    console.log(
      `Seeding ${opts.patients} patients and ${opts.injections} injections (today ${opts.today} in ${opts.zone}) into ${new URL(opts.url).pathname.slice(1)}`,
    );
    const counts = await loadSeed(client, opts, (line) => console.log(line));
    console.log(
      Object.entries(counts)
        .map(([t, n]) => `${t}=${n}`)
        .join(' '),
    );
    console.log(`Seeded in ${secs(started)} s`);
  } finally {
    await client.end();
  }
}

main().catch((err: unknown) => {
  console.error(`Seed failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
