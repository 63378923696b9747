// `npm run report -- --date YYYY-MM-DD [--out DIR]`: produces the audit report for one clinic-local
// date, writes esi-report-DATE.json and .csv and records the run in report_runs.
// Exit codes: 0 done; 2 bad arguments (e.g. a date that is not a calendar date); 69 database
// unreachable; 78 invalid configuration; 1 anything else. Without DATABASE_URL it uses the embedded
// PostgreSQL of ./.data like `npm start`: the running server's when one is up, else it starts it.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { migrate } from '../db/migrate.ts';
import { createDatabase } from '../db/prisma.ts';
import { servingRoleOf } from '../db/roles.ts';
import { sealAuditDays } from '../modules/audit/audit-seals.ts';
import { describeReportFailure } from '../modules/reports/report-failure.ts';
import { assertReachable, cliDatabase, ExitError } from './cli-database.ts';
import { isIsoDate } from '../modules/injections/injection.rules.ts';
import { produceReport } from '../modules/reports/report-producer.ts';
import { todayIn } from '../shared/dates.ts';
import { addDaysIso } from '../modules/reports/report-schedule.rules.ts';

const USAGE =
  'Usage: npm run report -- --date YYYY-MM-DD [--out DIR]\n  --date  the clinic-local date to report on (default: yesterday in CLINIC_TIMEZONE)\n  --out   folder for esi-report-DATE.json/.csv (default: REPORT_DIR, else the current folder)\n';

function parse(argv: string[], config: Config): { date: string; out: string } {
  let values: { date?: string | undefined; out?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { date: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (err) {
    throw new ExitError(2, `${(err as Error).message}\n${USAGE}`);
  }
  if (values.help) throw new ExitError(0, USAGE);
  const date = values.date ?? addDaysIso(todayIn(config.clinicTimeZone, new Date()), -1);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !isIsoDate(date)) {
    throw new ExitError(2, `--date must be a calendar date YYYY-MM-DD, got "${date}"\n${USAGE}`);
  }
  return { date, out: values.out ?? config.reportDir ?? '.' };
}

async function run(argv: string[]): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) throw new ExitError(78, err.message);
    throw err;
  }
  const { date, out } = parse(argv, config);
  const database = await cliDatabase(config);
  try {
    const { ownerUrl, servingUrl } = database;
    await assertReachable(servingUrl);
    await migrate(ownerUrl, { servingRole: servingRoleOf(ownerUrl, servingUrl) });
    const db = createDatabase({ url: servingUrl, poolSize: 2 });
    try {
      // The run seals the audit trail's ended days first, as the nightly run does, so its integrity
      // section verifies them too.
      await sealAuditDays(db.pool, config.clinicTimeZone);
      const { run: r, files } = await produceReport(db, {
        date,
        zone: config.clinicTimeZone,
        trigger: 'cli',
        now: new Date(),
        outDir: out,
      });
      const t = r.totals;
      const differs =
        r.differsFromPrevious === null
          ? 'first run for this date'
          : r.differsFromPrevious
            ? 'DIFFERS from the previous run'
            : 'same as the previous run';
      process.stdout.write(
        `Report for ${date} (${config.clinicTimeZone}), run ${r.id}: ${differs}\n` +
          `  injections ${t?.injections.total ?? 0}, R1 exemptions ${t?.r1Exemptions ?? 0} (${t?.r1ExemptionsFlagged ?? 0} flagged), ` +
          `integrity issues ${t?.integrityIssues ?? 0}, missing outcomes ${t?.missingOutcomes ?? 0}\n` +
          files.map((f) => `  wrote ${f}\n`).join(''),
      );
    } finally {
      await db.close();
    }
  } finally {
    await database.stop();
  }
}

run(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    if (err instanceof ExitError) {
      (err.code === 0 ? process.stdout : process.stderr).write(`${err.message.trimEnd()}\n`);
      process.exit(err.code);
    }
    const failure = describeReportFailure(err);
    process.stderr.write(`Report failed: ${failure.code}: ${failure.message}\n`);
    process.exit(1);
  },
);
