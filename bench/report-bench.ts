// `npm run bench:report [-- --server-url postgresql://postgres@127.0.0.1:5432/postgres --database esi_bench_report --date 2024-03-10 --reuse]`
// Creates the esi_bench_report database (or --database, whose name must contain "bench"), bulk-loads a clinic with years of history (100,000 patients,
// 200,000 episodes, 1,000,000 injections, ~3.2 M audit events; every row obeys R1 and R2, which the
// re-added exclusion constraint verifies), then times the nightly report: each section's query, the
// whole report, its JSON and its streamed CSV, and prints the time and the peak memory.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { migrate } from '../src/db/migrate.ts';
import { createDatabase } from '../src/db/prisma.ts';
import { dayAbsences, dayExemptions, dayInjections, missingOutcomes } from '../src/modules/reports/report-day.queries.ts';
import { clinicTotals, flaggedPatients } from '../src/modules/reports/report-flags.queries.ts';
import {
  auditGaps,
  closedEpisodeInjections,
  r1WithoutExemption,
  r2IntervalPairs,
} from '../src/modules/reports/report-integrity.queries.ts';
import { writeReportFiles } from '../src/modules/reports/report-producer.ts';
import { buildDailyReport } from '../src/modules/reports/report.service.ts';

const { values: args } = parseArgs({
  options: {
    'server-url': { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/postgres' },
    date: { type: 'string', default: '2024-03-10' },
    zone: { type: 'string', default: 'America/New_York' },
    database: { type: 'string', default: 'esi_bench_report' },
    reuse: { type: 'boolean', default: false },
  },
});
const DB = args.database;
if (!/^[a-z0-9_]*bench[a-z0-9_]*$/.test(DB)) throw new Error(`--database must be a plain name containing "bench", not ${DB}`);
const serverUrl = args['server-url'];
const dbUrl = (() => {
  const u = new URL(serverUrl);
  u.pathname = `/${DB}`;
  return u.toString();
})();
const OUT = new URL('./out/', import.meta.url).pathname;

// Patient g (1..100000) starts episode 1 (lumbar, closed on day 660) on 2019-01-01 + (g % 1800) with
// 10 − n injections 60 days apart from day 42; episode 2 (open) starts 700 days later with n = 1..3
// injections 120 days apart from day 42, or from day 14 when it is exempt from R1 (every tenth patient:
// severe, or weakness for every hundredth). Statuses and outcomes come from hashes. The default report
// date, 2024-03-10, is a spring-forward day in New York.
const LOAD_SQL = [
  `INSERT INTO patients (id, mrn, "givenName", "familyName", "birthDate", "createdAt", "updatedAt")
   SELECT md5('p' || g)::uuid, 'B' || lpad(g::text, 7, '0'), 'Bench', 'Patient', date '1950-01-01' + (g % 15000), t, t
     FROM generate_series(1, 100000) g, LATERAL (SELECT timestamptz '2018-12-01 15:00Z' + (g % 1800) * interval '1 day' AS t) x`,
  `INSERT INTO episodes (id, "patientId", region, diagnosis, "conservativeCareStartedOn", therapies, severity, "neurologicalSigns", status,
                         "closedReason", "closedAt", "exemptionRecordedAt", "exemptionRecordedById", "exemptionRecordedByName", "createdAt", "updatedAt")
   SELECT md5('e' || g || '-' || k)::uuid, md5('p' || g)::uuid,
          CASE WHEN k = 1 THEN 'lumbar' ELSE (ARRAY['lumbar', 'cervical', 'thoracic'])[1 + g % 3] END::"Region",
          'radiculopathy', s, '{physical_therapy}',
          CASE WHEN k = 2 AND g % 10 = 1 AND g % 100 <> 1 THEN 'severe' ELSE 'moderate' END::"Severity",
          CASE WHEN k = 2 AND g % 100 = 1 THEN '{weakness}' ELSE '{}' END::"NeurologicalSign"[],
          CASE WHEN k = 1 THEN 'closed' ELSE 'open' END::"EpisodeStatus",
          CASE WHEN k = 1 THEN 'resolved' END, CASE WHEN k = 1 THEN (s + 660) + time '16:00' END,
          CASE WHEN k = 2 AND (g % 10 = 1) THEN s + time '15:00' END,
          CASE WHEN k = 2 AND (g % 10 = 1) THEN 'c0000000-0000-4000-8000-000000000001'::uuid END,
          CASE WHEN k = 2 AND (g % 10 = 1) THEN 'Dr Bench' END,
          s + time '15:00', s + time '15:00'
     FROM generate_series(1, 100000) g, generate_series(1, 2) k,
          LATERAL (SELECT date '2019-01-01' + (g % 1800) + CASE WHEN k = 2 THEN 700 ELSE 0 END AS s) x`,
  `INSERT INTO injections (id, "patientId", "episodeId", "scheduledAt", "localDate", levels, approach, side, status, "performedAt", "cancelReason",
                           "painBefore", "painAfter", "percentImprovement", "assessedOn", "bookedById", "bookedByName", "performedById", "performedByName", "createdAt", "updatedAt")
   SELECT md5('i' || g || '-' || k || '-' || j)::uuid, md5('p' || g)::uuid, md5('e' || g || '-' || k)::uuid,
          d + time '14:00' + (j % 8) * interval '1 hour', d, '{L4-L5}', 'transforaminal', 'left', st::"InjectionStatus",
          CASE WHEN st = 'completed' THEN d + time '14:20' END,
          CASE WHEN st = 'cancelled' THEN 'patient request' END,
          CASE WHEN oc THEN 8 END, CASE WHEN oc THEN 8 - (h2 % 9) END, CASE WHEN oc THEN (h2 % 9) * 100 / 8 END, CASE WHEN oc THEN d + 14 END,
          'f0000000-0000-4000-8000-000000000001', 'Desk Bench',
          CASE WHEN st = 'completed' THEN 'c0000000-0000-4000-8000-000000000001'::uuid END, CASE WHEN st = 'completed' THEN 'Dr Bench' END,
          (d - 14) + time '15:00', (d - 14) + time '15:00'
     FROM generate_series(1, 100000) g, generate_series(1, 2) k,
          LATERAL (SELECT 1 + g % 3 AS n) c,
          LATERAL generate_series(0, CASE WHEN k = 1 THEN 9 - c.n ELSE c.n - 1 END) j,
          LATERAL (SELECT CASE WHEN k = 1 THEN date '2019-01-01' + (g % 1800) + 42 + 60 * j
                               ELSE date '2019-01-01' + (g % 1800) + 700 + CASE WHEN g % 10 = 1 THEN 14 ELSE 42 END + 120 * j END AS d,
                          abs(hashtext('s' || g || k || j)) % 100 AS h, abs(hashtext('o' || g || k || j)) AS h2) x,
          LATERAL (SELECT CASE WHEN k = 2 AND x.d > date '2024-03-20' THEN 'scheduled' WHEN x.h < 90 THEN 'completed' WHEN x.h < 95 THEN 'cancelled' ELSE 'no_show' END AS st) y,
          LATERAL (SELECT y.st = 'completed' AND x.h2 % 100 <> 0 AS oc) z`,
  // The audit trail the service would have written for all of that.
  `INSERT INTO audit_events (at, "actorId", "actorName", "actorRole", action, "entityType", "entityId", "patientId", after)
   SELECT "createdAt", 'f0000000-0000-4000-8000-000000000001', 'Desk Bench', 'front_desk', 'patient.create', 'patient', id::text, id, jsonb_build_object('mrn', mrn) FROM patients`,
  `INSERT INTO audit_events (at, "actorId", "actorName", "actorRole", action, "entityType", "entityId", "patientId", after)
   SELECT "createdAt", 'c0000000-0000-4000-8000-000000000001', 'Dr Bench', 'clinician', 'episode.create', 'episode', id::text, "patientId",
          jsonb_build_object('severity', severity, 'neurologicalSigns', to_jsonb("neurologicalSigns"), 'status', 'open') FROM episodes`,
  `INSERT INTO audit_events (at, "actorId", "actorName", "actorRole", action, "entityType", "entityId", "patientId", after)
   SELECT "closedAt", 'c0000000-0000-4000-8000-000000000001', 'Dr Bench', 'clinician', 'episode.close', 'episode', id::text, "patientId",
          jsonb_build_object('severity', severity, 'neurologicalSigns', to_jsonb("neurologicalSigns"), 'status', 'closed') FROM episodes WHERE status = 'closed'`,
  `INSERT INTO audit_events (at, "actorId", "actorName", "actorRole", action, "entityType", "entityId", "patientId", after)
   SELECT "createdAt", 'f0000000-0000-4000-8000-000000000001', 'Desk Bench', 'front_desk', 'injection.book', 'injection', id::text, "patientId",
          jsonb_build_object('localDate', "localDate", 'status', 'scheduled') FROM injections`,
  `INSERT INTO audit_events (at, "actorId", "actorName", "actorRole", action, "entityType", "entityId", "patientId", after)
   SELECT coalesce("performedAt", "scheduledAt"), 'f0000000-0000-4000-8000-000000000001', 'Desk Bench', 'front_desk',
          CASE status WHEN 'completed' THEN 'injection.complete' WHEN 'cancelled' THEN 'injection.cancel' ELSE 'injection.no_show' END,
          'injection', id::text, "patientId", jsonb_build_object('status', status) FROM injections WHERE status <> 'scheduled'`,
  `INSERT INTO audit_events (at, "actorId", "actorName", "actorRole", action, "entityType", "entityId", "patientId", after)
   SELECT "assessedOn" + time '17:00', 'c0000000-0000-4000-8000-000000000001', 'Dr Bench', 'clinician', 'injection.outcome', 'injection', id::text, "patientId",
          jsonb_build_object('percentImprovement', "percentImprovement") FROM injections WHERE "assessedOn" IS NOT NULL`,
];

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function load(): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB}`);
  await admin.end();
  await migrate(dbUrl);
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  const t0 = performance.now();
  // Load without the R2 constraint, then add it back: adding it checks every row obeys R2.
  await c.query('ALTER TABLE injections DROP CONSTRAINT injections_r2_interval_excl');
  await c.query("SET maintenance_work_mem = '256MB'");
  for (const sql of LOAD_SQL) await c.query(sql);
  await c.query(`ALTER TABLE injections ADD CONSTRAINT injections_r2_interval_excl
    EXCLUDE USING gist ("patientId" WITH =, daterange("localDate", "localDate" + 14) WITH &&) WHERE (status IN ('scheduled', 'completed'))`);
  await c.query('VACUUM ANALYZE');
  const counts = (
    await c.query(`SELECT (SELECT count(*) FROM patients)::int AS p, (SELECT count(*) FROM episodes)::int AS e,
    (SELECT count(*) FROM injections)::int AS i, (SELECT count(*) FROM audit_events)::int AS a`)
  ).rows[0];
  console.log(
    `loaded ${counts.p} patients, ${counts.e} episodes, ${counts.i} injections, ${counts.a} audit events in ${secs(performance.now() - t0)}`,
  );
  await c.end();
}

async function timeSections(pool: pg.Pool, date: string, zone: string): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await c.query("SET LOCAL work_mem = '64MB'");
    await c.query('SET LOCAL jit = off');
    await c.query("SET LOCAL statement_timeout = '10min'");
    const steps: [string, () => Promise<unknown>][] = [
      ['day injections', () => dayInjections(c, date)],
      ['R1 exemptions of the day', () => dayExemptions(c, date)],
      ['no-shows and cancellations', () => dayAbsences(c, date)],
      ['missing outcomes', () => missingOutcomes(c, date)],
      ['integrity: R2 pairs', () => r2IntervalPairs(c, 10_000)],
      ['integrity: R1 without exemption', () => r1WithoutExemption(c, 10_000)],
      ['integrity: closed episodes', () => closedEpisodeInjections(c, zone, 10_000)],
      ['integrity: audit gaps', () => auditGaps(c, 10_000)],
      ['clinical flags', () => flaggedPatients(c, date)],
      ['clinic totals', () => clinicTotals(c)],
    ];
    for (const [name, run] of steps) {
      const t = performance.now();
      const out = await run();
      const n = Array.isArray(out) ? out.length : ((out as { count?: number }).count ?? 1);
      console.log(`  ${name.padEnd(34)} ${secs(performance.now() - t).padStart(9)}  (${n} rows)`);
    }
    await c.query('COMMIT');
  } finally {
    c.release();
  }
}

async function main(): Promise<void> {
  if (!args.reuse) await load();
  const db = createDatabase({ url: dbUrl, poolSize: 2 });
  try {
    console.log(`sections for ${args.date} (${args.zone}), each on its own:`);
    await timeSections(db.reportPool, args.date, args.zone);
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    const report = await buildDailyReport(db.reportPool, { date: args.date, zone: args.zone, now: new Date() });
    const tBuilt = performance.now();
    // As the scheduler and the CLI write them: esi-report-DATE.json (pretty) and .csv, both streamed.
    const files = await writeReportFiles(report, OUT);
    const tFiles = performance.now();
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const t = report.totals;
    console.log(
      `report for ${args.date}: ${t.injections.total} injections that day, ${t.r1Exemptions} R1 exemptions, ${t.integrityIssues} integrity issues, ` +
        `${t.missingOutcomes} missing outcomes, flags ${JSON.stringify(t.flags)}`,
    );
    console.log(`  report built (all sections, one snapshot)  ${secs(tBuilt - t0)}`);
    console.log(`  files written (${files.map((f) => f.slice(OUT.length)).join(', ')})  ${secs(tFiles - tBuilt)}`);
    console.log(`  total                                       ${secs(tFiles - t0)}`);
    console.log(
      `memory: rss before ${mb(rssBefore)}, peak sampled rss ${mb(peak)}, resourceUsage maxRSS ${mb(process.resourceUsage().maxRSS * 1024)}`,
    );
  } finally {
    await db.close();
  }
}

await main();
