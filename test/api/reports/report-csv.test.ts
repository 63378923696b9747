import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestApp, type TestApp } from '../../helpers/app.ts';
import { buildClinic, FORMULA_REASON } from './clinic.fixture.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ now: '2027-03-15T12:00:00Z' });
  const sql = new pg.Client({ connectionString: t.testDb.url });
  await sql.connect();
  await buildClinic(sql);
  await sql.end();
});
afterAll(async () => {
  await t.close();
});

/** CSV sections → { name: { header, rows } }: each starts with `section,<name>`, then a header row. */
function sections(csv: string): Record<string, { header: string[]; rows: string[][] }> {
  const records: string[][] = parse(csv, { relax_column_count: true, skip_empty_lines: true });
  const out: Record<string, { header: string[]; rows: string[][] }> = {};
  let current: { header: string[]; rows: string[][] } | undefined;
  for (const rec of records) {
    if (rec[0] === 'section' && rec.length === 2) {
      current = { header: [], rows: [] };
      out[rec[1]!] = current;
    } else if (current && current.header.length === 0) current.header = rec;
    else current?.rows.push(rec);
  }
  return out;
}

// What a JSON value looks like in a CSV cell, written out independently of the service's formatter.
const cell = (v: string | number | boolean | null | string[]): string =>
  v === null ? '' : Array.isArray(v) ? v.join(';') : typeof v === 'string' && v.startsWith('=') ? `'${v}` : String(v);

describe('GET /v1/reports/daily as CSV', () => {
  let json: any;
  let csv: ReturnType<typeof sections>;
  let res: Awaited<ReturnType<TestApp['app']['inject']>>;
  beforeAll(async () => {
    json = (await t.app.inject({ method: 'GET', url: '/v1/reports/daily?date=2027-03-14', headers: auth() })).json();
    res = await t.app.inject({ method: 'GET', url: '/v1/reports/daily?date=2027-03-14', headers: { ...auth(), accept: 'text/csv' } });
    csv = sections(res.body);
  });

  it('is served as a CSV attachment named after the date', () => {
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="esi-report-2027-03-14.csv"');
  });

  it('has the same sections, columns and rows as the JSON', () => {
    const tables: [string, any[]][] = [
      ['injections', json.injections],
      ['r1Exemptions', json.r1Exemptions],
      ['integrity', json.integrity.checks],
      ['integrity.r2IntervalPairs', json.integrity.r2IntervalPairs],
      ['integrity.r1WithoutExemption', json.integrity.r1WithoutExemption],
      ['integrity.scheduledNowIneligible', json.integrity.scheduledNowIneligible],
      ['integrity.closedEpisodeInjections', json.integrity.closedEpisodeInjections],
      ['integrity.auditGaps', json.integrity.auditGaps],
      ['integrity.auditSeals', json.integrity.auditSeals],
      ['missingOutcomes', json.missingOutcomes],
      ['noShowsAndCancellations', json.noShowsAndCancellations],
      ['flags', json.flags],
    ];
    // The seals' summary is a key,value section after the seal problems.
    const names = tables.map(([n]) => n);
    names.splice(names.indexOf('integrity.auditSeals') + 1, 0, 'integrity.seals');
    expect(Object.keys(csv)).toEqual(['meta', 'totals', ...names]);
    expect(csv['integrity.seals']!.rows.map((r) => r[0])).toEqual(['sealedDays', 'firstDay', 'lastDay', 'lastSeal']);
    for (const [name, items] of tables) {
      const { header, rows } = csv[name]!;
      expect(rows.length, name).toBe(items.length);
      items.forEach((item, k) => {
        expect(header, name).toEqual(expect.arrayContaining(Object.keys(item)));
        expect(rows[k], `${name} row ${k}`).toEqual(header.map((h) => cell(item[h])));
      });
    }
    expect(csv.injections!.rows).toHaveLength(6);
    expect(csv.flags!.rows).toHaveLength(6);
  });

  it('carries meta and totals as key,value rows', () => {
    const meta = Object.fromEntries(csv.meta!.rows as [string, string][]);
    expect(meta).toMatchObject({
      date: '2027-03-14',
      timeZone: 'America/New_York',
      hoursInDay: '23',
      'ruleParameters.minIntervalDays': '14',
      contentHash: json.meta.contentHash,
    });
    const totals = Object.fromEntries(csv.totals!.rows as [string, string][]);
    expect(totals).toMatchObject({
      'injections.total': '6',
      r1ExemptionsFlagged: '2',
      integrityIssues: '0',
      'flags.ADDITIONAL_INJECTION_CONSULT': '3',
      'clinic.patients': '12',
    });
  });

  it('says the integrity checks are empty', () => {
    expect(csv.integrity!.header.slice(0, 4)).toEqual(['check', 'description', 'ok', 'count']);
    expect(csv.integrity!.rows.map((r) => [r[0], r[2], r[3]])).toEqual([
      ['r2IntervalPairs', 'true', '0'],
      ['r1WithoutExemption', 'true', '0'],
      ['scheduledNowIneligible', 'true', '0'],
      ['closedEpisodeInjections', 'true', '0'],
      ['auditGaps', 'true', '0'],
      ['auditSeals', 'true', '0'],
    ]);
  });

  it('defuses a cancellation reason a spreadsheet would run as a formula', () => {
    const { header, rows } = csv.noShowsAndCancellations!;
    expect(rows[0]![header.indexOf('reason')]).toBe(`'${FORMULA_REASON}`);
    expect(json.noShowsAndCancellations[0].reason).toBe(FORMULA_REASON);
  });

  it('also answers ?format=csv, and JSON when application/json is preferred', async () => {
    const viaQuery = await t.app.inject({ method: 'GET', url: '/v1/reports/daily?date=2027-03-14&format=csv', headers: auth() });
    expect(viaQuery.headers['content-type']).toMatch(/^text\/csv/);
    const preferJson = await t.app.inject({
      method: 'GET',
      url: '/v1/reports/daily?date=2027-03-14',
      headers: { ...auth(), accept: 'text/csv;q=0.5, application/json' },
    });
    expect(preferJson.headers['content-type']).toMatch(/^application\/json/);
  });
});
