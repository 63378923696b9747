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

  it('records a failed run with its error', async () => {
    // The report's own connection fails; the run bookkeeping (pool.query) still works.
    const real = t.db.reportPool;
    const connect = (cb?: (...a: any[]) => void) => (cb ? real.connect(cb) : Promise.reject(new Error('database went away')));
    const broken = { ...t.db, reportPool: Object.assign(Object.create(real) as pg.Pool, { connect }) };
    await expect(produceReport(broken, { date: '2027-03-12', zone: 'America/New_York', trigger: 'cli', now: new Date() })).rejects.toThrow(
      'database went away',
    );
    const [latest] = (await runs('?date=2027-03-12')).json().items;
    expect(latest).toMatchObject({ status: 'failed', error: 'database went away', totals: null, resultHash: null });
  });

  it('refuses a cursor it did not issue, and other roles than auditor and admin', async () => {
    expect((await runs('?cursor=bm9wZQ')).statusCode).toBe(400);
    const f = factories(t.app);
    expect((await runs('', (await f.apiKey('front_desk')).key)).statusCode).toBe(403);
    expect((await runs('', (await f.apiKey('auditor')).key)).statusCode).toBe(200);
  });
});
