import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../../src/db/prisma.ts';
import { createReportScheduler } from '../../../src/modules/reports/report-scheduler.ts';
import { datesToProduce, latestDueDate, reportDueAt } from '../../../src/modules/reports/report-schedule.rules.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { buildClinic } from './clinic.fixture.ts';

const NY = 'America/New_York';

describe('when the nightly report is due', () => {
  it('is 02:00 clinic time the next day', () => {
    expect(reportDueAt('2027-03-15', NY).toISOString()).toBe('2027-03-16T06:00:00.000Z'); // 02:00 EDT
    expect(reportDueAt('2027-01-10', NY).toISOString()).toBe('2027-01-11T07:00:00.000Z'); // 02:00 EST
    expect(reportDueAt('2027-01-10', 'Asia/Kolkata').toISOString()).toBe('2027-01-10T20:30:00.000Z');
  });

  it('is the first instant after the gap when 02:00 does not exist (spring forward)', () => {
    // 2027-03-14 in New York: 01:59:59 EST is followed by 03:00:00 EDT (07:00Z).
    expect(reportDueAt('2027-03-13', NY).toISOString()).toBe('2027-03-14T07:00:00.000Z');
    // Lord Howe Island moves 30 minutes: 02:00 (+10:30) becomes 02:30 (+11:00).
    expect(reportDueAt('2027-10-02', 'Australia/Lord_Howe').toISOString()).toBe('2027-10-02T15:30:00.000Z');
  });

  it('is 02:00 once on the fall-back night, the first one where 02:00 happens twice', () => {
    expect(reportDueAt('2027-11-06', NY).toISOString()).toBe('2027-11-07T07:00:00.000Z'); // 02:00 EST, once
    // Berlin 2027-10-31: 02:00 CEST (00:00Z) and again 02:00 CET (01:00Z).
    expect(reportDueAt('2027-10-30', 'Europe/Berlin').toISOString()).toBe('2027-10-31T00:00:00.000Z');
  });

  it('makes yesterday due once that instant has passed', () => {
    expect(latestDueDate(new Date('2027-03-14T06:59:59.999Z'), NY)).toBe('2027-03-12');
    expect(latestDueDate(new Date('2027-03-14T07:00:00.000Z'), NY)).toBe('2027-03-13');
    expect(latestDueDate(new Date('2027-03-16T05:59:00.000Z'), NY)).toBe('2027-03-14');
  });

  it('catches up missed nights since the first one produced, within the catch-up window', () => {
    expect(datesToProduce('2027-03-17', new Set(), 7, null)).toEqual(['2027-03-17']);
    expect(datesToProduce('2027-03-17', new Set(['2027-03-14']), 7, '2027-03-14')).toEqual(['2027-03-15', '2027-03-16', '2027-03-17']);
    expect(datesToProduce('2027-03-30', new Set(), 3, '2027-03-01')).toEqual(['2027-03-28', '2027-03-29', '2027-03-30']);
    expect(datesToProduce('2027-03-17', new Set(['2027-03-16', '2027-03-17']), 7, '2027-03-16')).toEqual([]);
  });
});

describe('the scheduler across instances', () => {
  let t: TestApp;
  let sql: pg.Client;
  let dir: string;
  const dbs: Database[] = [];
  const log = pino({ level: 'silent' });
  const instance = (now: string) => {
    const db = createDatabase({ url: t.testDb.url, poolSize: 4 });
    dbs.push(db);
    return createReportScheduler({ db, config: { ...t.config, reportDir: dir }, log, clock: () => new Date(now) });
  };
  const scheduledRuns = async () =>
    (
      await sql.query(
        `SELECT "reportDate"::text AS date, status FROM report_runs WHERE trigger = 'scheduled' ORDER BY "reportDate", "startedAt"`,
      )
    ).rows;

  beforeAll(async () => {
    t = await createTestApp();
    sql = new pg.Client({ connectionString: t.testDb.url });
    await sql.connect();
    await buildClinic(sql);
    dir = await mkdtemp(join(tmpdir(), 'esi-report-'));
  });
  afterAll(async () => {
    for (const db of dbs) await db.close();
    await sql.end();
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('produces the previous day once when two instances run at the same moment, and writes the files', async () => {
    const now = '2027-03-15T08:00:00Z'; // 04:00 EDT: the report for the 14th is due
    const outcomes = await Promise.all([instance(now).runDue(), instance(now).runDue()]);
    const all = outcomes
      .flat()
      .map((o) => o.outcome)
      .sort();
    expect(all.filter((o) => o === 'produced')).toHaveLength(1);
    expect(all.every((o) => ['produced', 'busy', 'exists'].includes(o))).toBe(true);
    expect(await scheduledRuns()).toEqual([{ date: '2027-03-14', status: 'succeeded' }]);
    const json = JSON.parse(await readFile(join(dir, 'esi-report-2027-03-14.json'), 'utf8'));
    expect(json.totals.injections.total).toBe(6);
    expect(existsSync(join(dir, 'esi-report-2027-03-14.csv'))).toBe(true);
  });

  it('leaves it alone when an instance checks later the same night', async () => {
    expect(await instance('2027-03-15T09:30:00Z').runDue()).toEqual([]);
    expect(await scheduledRuns()).toHaveLength(1);
  });

  it('does nothing before 02:00 and catches up the nights missed while down', async () => {
    expect(await instance('2027-03-16T05:30:00Z').runDue()).toEqual([]); // 01:30 EDT on the 16th
    const produced = await instance('2027-03-18T09:00:00Z').runDue();
    expect(produced.map((o) => [o.date, o.outcome])).toEqual([
      ['2027-03-15', 'produced'],
      ['2027-03-16', 'produced'],
      ['2027-03-17', 'produced'],
    ]);
    expect((await scheduledRuns()).map((r) => r.date)).toEqual(['2027-03-14', '2027-03-15', '2027-03-16', '2027-03-17']);
    const audit = await sql.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'report.generate' AND "actorName" = 'report-scheduled'`,
    );
    expect(audit.rows[0].n).toBe(4);
  });

  it('refuses a second scheduled run of a date in the database itself', async () => {
    await expect(
      sql.query(
        `INSERT INTO report_runs (id, "reportDate", trigger, status, version) VALUES (gen_random_uuid(), '2027-03-14', 'scheduled', 'running', 'x')`,
      ),
    ).rejects.toMatchObject({ code: '23505' });
  });
});
