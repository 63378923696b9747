import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { produceReport } from '../../../src/modules/reports/report-producer.ts';
import { auth, createTestApp, factories, type TestApp } from '../../helpers/app.ts';
import { buildClinic, I } from './clinic.fixture.ts';

let t: TestApp;
let sql: pg.Client;
beforeAll(async () => {
  t = await createTestApp();
  sql = new pg.Client({ connectionString: t.testDb.url });
  await sql.connect();
  await buildClinic(sql);
});
afterAll(async () => {
  await sql.end();
  await t.close();
});

const produce = (date: string, now = new Date()) => produceReport(t.db, { date, zone: 'America/New_York', trigger: 'cli', now });
const runs = (query = '', key?: string) => t.app.inject({ method: 'GET', url: `/v1/reports/runs${query}`, headers: auth(key) });

describe('report runs', () => {
  it('records each run with its totals and says whether a re-run of the date differs from the last', async () => {
    const first = await produce('2027-03-14');
    expect(first.run).toMatchObject({
      reportDate: '2027-03-14',
      trigger: 'cli',
      status: 'succeeded',
      differsFromPrevious: null,
      resultHash: first.report.meta.contentHash,
    });
    expect(first.run.totals).toEqual(first.report.totals);

    const again = await produce('2027-03-14', new Date(Date.now() + 60_000));
    expect(again.run.differsFromPrevious).toBe(false);
    expect(again.run.resultHash).toBe(first.run.resultHash);

    await sql.query(`UPDATE injections SET "cancelReason" = 'changed afterwards' WHERE id = $1`, [I.E]);
    const changed = await produce('2027-03-14');
    expect(changed.run.differsFromPrevious).toBe(true);
    expect(changed.run.resultHash).not.toBe(first.run.resultHash);

    const other = await produce('2027-03-13');
    expect(other.run.differsFromPrevious).toBeNull();
  });

  it('lists runs newest first, pages through them and filters by date', async () => {
    const page1 = await runs('?limit=3');
    expect(page1.statusCode).toBe(200);
    const b1 = page1.json();
    expect(b1.items.map((r: any) => r.reportDate)).toEqual(['2027-03-13', '2027-03-14', '2027-03-14']);
    expect(b1.items[0]).toMatchObject({
      status: 'succeeded',
      trigger: 'cli',
      totals: { injections: { total: expect.any(Number) } },
      error: null,
      version: expect.any(String),
    });
    const b2 = (await runs(`?limit=3&cursor=${b1.nextCursor}`)).json();
    expect(b2.items).toHaveLength(1);
    expect(b2.nextCursor).toBeNull();
    const starts = [...b1.items, ...b2.items].map((r: any) => r.startedAt);
    expect([...starts].sort().reverse()).toEqual(starts);
    expect((await runs('?date=2027-03-14')).json().items.map((r: any) => r.differsFromPrevious)).toEqual([true, false, null]);
  });

  it('records a failed run with a code and a message that quote nothing of the error', async () => {
    // The report's own connection fails with what a database error can say: a row's values. The run
    // bookkeeping (pool.query) still works.
    const real = t.db.reportPool;
    const leak = Object.assign(new Error('duplicate key value violates unique constraint "patients_mrn_key": Key (mrn)=(MRN-SECRET-77)'), {
      code: '23505',
    });
    const connect = (cb?: (...a: any[]) => void) => (cb ? real.connect(cb) : Promise.reject(leak));
    const broken = { ...t.db, reportPool: Object.assign(Object.create(real) as pg.Pool, { connect }) };
    await expect(produceReport(broken, { date: '2027-03-12', zone: 'America/New_York', trigger: 'cli', now: new Date() })).rejects.toBe(
      leak,
    );
    const [latest] = (await runs('?date=2027-03-12')).json().items;
    expect(latest).toMatchObject({
      status: 'failed',
      error: 'REPORT.DATABASE_ERROR: the database refused a report query (SQLSTATE 23505)',
      totals: null,
      resultHash: null,
    });
    expect(JSON.stringify(latest)).not.toContain('MRN-SECRET');
  });

  it('records a file-system failure by its code, without the path or message', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'esi-runs-'));
    try {
      // A file where the report folder should be: mkdir fails with a message quoting the path.
      const blocker = join(dir, 'Jane-Doe-MRN-123');
      await writeFile(blocker, 'x');
      await expect(
        produceReport(t.db, {
          date: '2027-03-11',
          zone: 'America/New_York',
          trigger: 'cli',
          now: new Date(),
          outDir: join(blocker, 'out'),
        }),
      ).rejects.toThrow(/Jane-Doe/);
      const [latest] = (await runs('?date=2027-03-11')).json().items;
      expect(latest.status).toBe('failed');
      expect(latest.error).toMatch(/^REPORT\.FILE_ERROR: the report files could not be written \((ENOTDIR|EEXIST)\)/);
      expect(latest.error).not.toContain('Jane');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('records any other failure as an internal error naming only its kind', async () => {
    const real = t.db.reportPool;
    const connect = (cb?: (...a: any[]) => void) => (cb ? real.connect(cb) : Promise.reject(new TypeError('Cannot read "Jane Doe"')));
    const broken = { ...t.db, reportPool: Object.assign(Object.create(real) as pg.Pool, { connect }) };
    await expect(
      produceReport(broken, { date: '2027-03-10', zone: 'America/New_York', trigger: 'cli', now: new Date() }),
    ).rejects.toThrow();
    const [latest] = (await runs('?date=2027-03-10')).json().items;
    expect(latest.error).toBe('REPORT.INTERNAL_ERROR: the report could not be produced (TypeError)');
  });

  it('refuses a cursor it did not issue, and other roles than auditor and admin', async () => {
    expect((await runs('?cursor=bm9wZQ')).statusCode).toBe(400);
    const f = factories(t.app);
    expect((await runs('', (await f.apiKey('front_desk')).key)).statusCode).toBe(403);
    expect((await runs('', (await f.apiKey('auditor')).key)).statusCode).toBe(200);
  });
});
