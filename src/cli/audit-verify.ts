// `npm run audit:verify`: recomputes every seal of the audit trail (src/modules/audit/audit-seals.ts)
// and names each day whose audit events were changed, removed or inserted after it was sealed, and
// each seal that was altered or taken out of the chain. Read-only: it seals nothing.
// Exit codes: 0 intact; 3 tampering found; 69 database unreachable; 78 invalid configuration; 1 else.
// Without DATABASE_URL it reads the embedded PostgreSQL of DATA_DIR, like `npm run report`.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { verifyAuditSeals, type SealProblemKind } from '../modules/audit/audit-seals.ts';
import { assertReachable, cliDatabase, ExitError } from './cli-database.ts';

const USAGE = 'Usage: npm run audit:verify [-- --json]\n  --json  print the verification as JSON\n';

const EXPLAIN: Record<SealProblemKind, string> = {
  ROWS_CHANGED: 'audit events of this day were changed after it was sealed',
  ROWS_REMOVED: 'audit events of this day were removed after it was sealed',
  ROWS_INSERTED: 'audit events were added to this day after it was sealed',
  SEAL_ALTERED: "this day's seal was edited",
  CHAIN_BROKEN: 'the seal before this one was edited or removed',
};

async function run(argv: string[]): Promise<number> {
  let values: { json?: boolean | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (err) {
    throw new ExitError(2, `${(err as Error).message}\n${USAGE}`);
  }
  if (values.help) throw new ExitError(0, USAGE);
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) throw new ExitError(78, err.message);
    throw err;
  }
  const database = await cliDatabase(config);
  try {
    await assertReachable(database.servingUrl);
    const client = new pg.Client({ connectionString: database.servingUrl });
    await client.connect();
    try {
      // One snapshot, so rows written meanwhile cannot make a day look half changed.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const result = await verifyAuditSeals(client);
      await client.query('COMMIT');
      if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else if (result.sealedDays === 0)
        process.stdout.write('No day of the audit trail is sealed yet (the nightly run seals each ended day).\n');
      else {
        process.stdout.write(
          `Audit trail: ${result.sealedDays} sealed days, ${result.firstDay} to ${result.lastDay}; newest seal ${result.lastSeal}\n`,
        );
        for (const p of result.problems) {
          process.stdout.write(`  ${p.day}  ${p.problem}: ${EXPLAIN[p.problem]} (sealed ${p.sealedRowCount} rows, now ${p.rowCount})\n`);
        }
        const days = new Set(result.problems.map((p) => p.day)).size;
        process.stdout.write(
          result.problems.length ? `TAMPERED: ${days} day(s) no longer match their seals\n` : 'Intact: every sealed day matches its seal\n',
        );
      }
      return result.problems.length ? 3 : 0;
    } finally {
      await client.end();
    }
  } catch (err) {
    if (err instanceof ExitError) throw err;
    const e = err as { code?: string; message?: string };
    // Missing table: a database this version never migrated.
    if (e.code === '42P01')
      throw new ExitError(1, 'The audit seals table is missing: start the server (or run `npm run report`) once to migrate');
    throw err;
  } finally {
    await database.stop();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ExitError) {
      (err.code === 0 ? process.stdout : process.stderr).write(`${err.message.trimEnd()}\n`);
      process.exit(err.code);
    }
    process.stderr.write(`Verification failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
