// `npm run report`: the real command in a child process, its exit codes, messages and files.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { buildClinic } from './clinic.fixture.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;

function report(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/report.ts', ...args],
      {
        cwd: ROOT,
        // Only what the command needs: no DATABASE_URL of the test run leaks in.
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TZ: 'UTC', CLINIC_TIMEZONE: 'America/New_York', ...env },
        timeout: 60_000,
      },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

let t: TestApp;
let sql: pg.Client;
let dir: string;
beforeAll(async () => {
  t = await createTestApp();
  sql = new pg.Client({ connectionString: t.testDb.url });
  await sql.connect();
  await buildClinic(sql);
  dir = await mkdtemp(join(tmpdir(), 'esi-report-cli-'));
});
afterAll(async () => {
  await sql.end();
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

describe('npm run report', () => {
  it('refuses a date that is not a calendar date, saying why, and writes nothing', async () => {
    const r = await report(['--date', '2027-02-30', '--out', dir], { DATABASE_URL: t.testDb.url });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--date must be a calendar date YYYY-MM-DD, got "2027-02-30"');
    const bad = await report(['--date', '14/03/2027', '--out', dir], { DATABASE_URL: t.testDb.url });
    expect(bad.code).toBe(2);
    expect(existsSync(join(dir, 'esi-report-2027-02-30.json'))).toBe(false);
  });

  it('refuses an unknown option', async () => {
    const r = await report(['--day', '2027-03-14'], { DATABASE_URL: t.testDb.url });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown option '--day'/);
  });

  it('exits 69 with a clear message when the database cannot be reached', async () => {
    const r = await report(['--date', '2027-03-14', '--out', dir], {
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:3349/esi_report_test',
    });
    expect(r.code).toBe(69);
    expect(r.stderr).toContain('Cannot reach the database at 127.0.0.1:3349/esi_report_test: ECONNREFUSED');
  });

  it('exits 78 on invalid configuration', async () => {
    const r = await report(['--date', '2027-03-14'], { DATABASE_URL: t.testDb.url, CLINIC_TIMEZONE: 'Mars/Olympus' });
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('CLINIC_TIMEZONE');
  });

  it('writes the JSON and CSV files, records the run and reports a re-run as unchanged', async () => {
    // As in production: migrations as the owner, the report as the serving role.
    const r = await report(['--date', '2027-03-14', '--out', dir], { DATABASE_URL: t.testDb.servingUrl, DATABASE_OWNER_URL: t.testDb.url });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('first run for this date');
    const json = JSON.parse(await readFile(join(dir, 'esi-report-2027-03-14.json'), 'utf8'));
    expect(json.meta).toMatchObject({ date: '2027-03-14', timeZone: 'America/New_York', hoursInDay: 23 });
    expect(json.totals.injections.total).toBe(6);
    const csv: string[][] = parse(await readFile(join(dir, 'esi-report-2027-03-14.csv'), 'utf8'), {
      relax_column_count: true,
      skip_empty_lines: true,
    });
    expect(csv[0]).toEqual(['section', 'meta']);
    expect(csv.filter((row) => row[0] === 'section').map((row) => row[1])).toContain('integrity.auditGaps');

    const again = await report(['--date', '2027-03-14', '--out', dir], {
      DATABASE_URL: t.testDb.servingUrl,
      DATABASE_OWNER_URL: t.testDb.url,
    });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('same as the previous run');
    const { rows } = await sql.query(
      `SELECT trigger, status, "differsFromPrevious" FROM report_runs WHERE "reportDate" = '2027-03-14' ORDER BY "startedAt"`,
    );
    expect(rows).toEqual([
      { trigger: 'cli', status: 'succeeded', differsFromPrevious: null },
      { trigger: 'cli', status: 'succeeded', differsFromPrevious: false },
    ]);
  });
});
