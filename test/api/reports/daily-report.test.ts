import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, auth, createTestApp, factories, type TestApp } from '../../helpers/app.ts';
import { buildClinic, E, FORMULA_REASON, I } from './clinic.fixture.ts';
import { DESK, DR } from './fixture.ts';

let t: TestApp;
let sql: pg.Client;
let auditorKey: string;
beforeAll(async () => {
  t = await createTestApp({ now: '2027-03-15T12:00:00Z' });
  sql = new pg.Client({ connectionString: t.testDb.url });
  await sql.connect();
  await buildClinic(sql);
  auditorKey = (await factories(t.app).apiKey('auditor')).key;
});
afterAll(async () => {
  await sql.end();
  await t.close();
});

const get = (url: string, key = auditorKey, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers: { ...auth(key), ...headers } });

describe('GET /v1/reports/daily on the spring-forward day 2027-03-14', () => {
  let r: any;
  beforeAll(async () => {
    const res = await get('/v1/reports/daily?date=2027-03-14');
    expect(res.statusCode).toBe(200);
    r = res.json();
  });

  it('states the day, its 23 hours, the zone, the rules in force and who produced it', () => {
    expect(r.meta).toMatchObject({
      date: '2027-03-14',
      timeZone: 'America/New_York',
      dayStartsAt: '2027-03-14T05:00:00.000Z',
      dayEndsAt: '2027-03-15T04:00:00.000Z',
      hoursInDay: 23,
      ruleParameters: { conservativeTrialDays: 42, minIntervalDays: 14 },
      flagParameters: { meaningfulImprovementPercent: 50, annualLimit: 4, annualWindowDays: 365 },
      generatedAt: '2027-03-15T12:00:00.000Z',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
    expect(r.meta.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("lists the day's injections by status with MRN, episode, site and clinicians, local times with their offset", () => {
    const rows = r.injections.map((i: any) => [
      i.status,
      i.mrn,
      i.episodeId,
      i.scheduledAt,
      i.localTime,
      i.bookedByName,
      i.performedByName,
    ]);
    expect(rows).toEqual([
      ['scheduled', 'MRN-B', E.B, '2027-03-14T15:30:00.000Z', '11:30-04:00', DESK.name, null],
      ['completed', 'MRN-A', E.A, '2027-03-14T13:00:00.000Z', '09:00-04:00', DESK.name, DR.name],
      ['completed', 'MRN-C', E.C, '2027-03-14T18:00:00.000Z', '14:00-04:00', DESK.name, DR.name],
      ['completed', 'MRN-D', E.D, '2027-03-14T20:00:00.000Z', '16:00-04:00', DESK.name, DR.name],
      ['cancelled', 'MRN-E', E.E, '2027-03-14T14:00:00.000Z', '10:00-04:00', DESK.name, null],
      ['no_show', 'MRN-F', E.F, '2027-03-14T06:30:00.000Z', '01:30-05:00', DESK.name, null],
    ]);
    expect(r.injections[0]).toMatchObject({
      injectionId: I.B,
      levels: 'L4-L5',
      approach: 'transforaminal',
      side: 'left',
      performedAt: null,
    });
    expect(r.totals.injections).toEqual({ scheduled: 1, completed: 3, cancelled: 1, no_show: 1, total: 6 });
  });

  it('lists each R1 exemption used with who recorded it and when, flagging those under 24 real hours before the booking', () => {
    const rows = r.r1Exemptions.map((x: any) => [
      x.mrn,
      x.dayOfTrial,
      x.severity,
      x.neurologicalSigns,
      x.exemptionRecordedAt,
      x.exemptionRecordedByName,
      x.exemptionSource,
      x.bookedAt,
      x.hoursFromExemptionToBooking,
      x.flagged,
      x.flagReason,
    ]);
    expect(rows).toEqual([
      [
        'MRN-B',
        13,
        'severe',
        ['weakness'],
        '2027-03-13T19:10:00.000Z',
        DR.name,
        'audit_trail',
        '2027-03-13T21:45:00.000Z',
        2.58,
        true,
        'RECORDED_UNDER_24H_BEFORE_BOOKING',
      ],
      ['MRN-C', 13, 'severe', [], '2027-03-01T15:00:00.000Z', DR.name, 'audit_trail', '2027-03-09T16:00:00.000Z', 193, false, null],
      // 15:00 EST to 15:30 EDT: the wall clock says 24.5 h, the spring-forward gap makes it 23.5.
      [
        'MRN-D',
        4,
        'moderate',
        ['numbness'],
        '2027-03-13T20:00:00.000Z',
        DR.name,
        'audit_trail',
        '2027-03-14T19:30:00.000Z',
        23.5,
        true,
        'RECORDED_UNDER_24H_BEFORE_BOOKING',
      ],
    ]);
    expect(r.r1Exemptions[0]).toMatchObject({
      injectionId: I.B,
      episodeId: E.B,
      exemptionRecordedById: DR.id,
      conservativeCareStartedOn: '2027-03-01',
      bookedByName: DESK.name,
    });
    expect(r.totals).toMatchObject({ r1Exemptions: 3, r1ExemptionsFlagged: 2 });
  });

  it('runs every integrity check and says each is empty', () => {
    expect(r.integrity.ok).toBe(true);
    expect(r.integrity.checks.map((c: any) => [c.check, c.ok, c.count])).toEqual([
      ['r2IntervalPairs', true, 0],
      ['r1WithoutExemption', true, 0],
      ['scheduledNowIneligible', true, 0],
      ['closedEpisodeInjections', true, 0],
      ['auditGaps', true, 0],
      ['auditSeals', true, 0],
    ]);
    expect(r.integrity.checks.every((c: any) => c.description.length > 20)).toBe(true);
    for (const k of [
      'r2IntervalPairs',
      'r1WithoutExemption',
      'scheduledNowIneligible',
      'closedEpisodeInjections',
      'auditGaps',
      'auditSeals',
    ]) {
      expect(r.integrity[k]).toEqual([]);
    }
    expect(r.totals.integrityIssues).toBe(0);
  });

  it('lists completed injections without an outcome 14 days on (not 13)', () => {
    expect(r.missingOutcomes).toEqual([
      {
        injectionId: I.G,
        mrn: 'MRN-G',
        episodeId: E.G,
        localDate: '2027-02-28',
        performedAt: '2027-02-28T15:00:00.000Z',
        performedByName: DR.name,
        daysSinceGiven: 14,
      },
    ]);
  });

  it("lists the day's no-shows and cancellations with the reason and who recorded them", () => {
    expect(r.noShowsAndCancellations).toEqual([
      {
        injectionId: I.E,
        mrn: 'MRN-E',
        episodeId: E.E,
        status: 'cancelled',
        scheduledAt: '2027-03-14T14:00:00.000Z',
        localTime: '10:00-04:00',
        reason: FORMULA_REASON,
        recordedAt: '2027-03-13T20:00:00.000Z',
        recordedByName: DESK.name,
      },
      {
        injectionId: I.F,
        mrn: 'MRN-F',
        episodeId: E.F,
        status: 'no_show',
        scheduledAt: '2027-03-14T06:30:00.000Z',
        localTime: '01:30-05:00',
        reason: null,
        recordedAt: '2027-03-14T17:00:00.000Z',
        recordedByName: DESK.name,
      },
    ]);
    expect(r.totals).toMatchObject({ noShows: 1, cancellations: 1 });
  });

  it('lists the patients carrying each clinical flag, most urgent first', () => {
    expect(r.flags).toEqual([
      { flag: 'URGENT_SURGICAL_REVIEW', mrn: 'MRN-B', episodeId: E.B, detail: 'records weakness' },
      { flag: 'SURGICAL_REVIEW', mrn: 'MRN-I', episodeId: E.I, detail: '2026-12-01: 20%, 2027-01-05: 30%' },
      { flag: 'ANNUAL_LIMIT', mrn: 'MRN-J', episodeId: null, detail: 'lumbar (2026-04-01 to 2027-01-10)' },
      { flag: 'ADDITIONAL_INJECTION_CONSULT', mrn: 'MRN-A', episodeId: E.A, detail: '2 scheduled or completed injections in the episode' },
      { flag: 'ADDITIONAL_INJECTION_CONSULT', mrn: 'MRN-I', episodeId: E.I, detail: '2 scheduled or completed injections in the episode' },
      { flag: 'ADDITIONAL_INJECTION_CONSULT', mrn: 'MRN-J', episodeId: E.J2, detail: '2 scheduled or completed injections in the episode' },
    ]);
    expect(r.totals.flags).toEqual({ URGENT_SURGICAL_REVIEW: 1, SURGICAL_REVIEW: 1, ANNUAL_LIMIT: 1, ADDITIONAL_INJECTION_CONSULT: 3 });
    expect(r.totals.clinic).toEqual({ patients: 12, openEpisodes: 12, injections: 17 });
  });

  it('carries no patient names', () => {
    expect(JSON.stringify(r)).not.toMatch(/Fixture|givenName|familyName|birthDate/);
  });
});

describe('GET /v1/reports/daily on the fall-back day 2027-11-07', () => {
  it('has 25 hours and tells the two 01:30s apart by their offsets', async () => {
    const r = (await get('/v1/reports/daily?date=2027-11-07')).json();
    expect(r.meta).toMatchObject({ dayStartsAt: '2027-11-07T04:00:00.000Z', dayEndsAt: '2027-11-08T05:00:00.000Z', hoursInDay: 25 });
    expect(r.injections.map((i: any) => [i.mrn, i.localTime])).toEqual([
      ['MRN-K', '01:30-04:00'],
      ['MRN-L', '01:30-05:00'],
    ]);
    // As of November the year-old injections of J have left the 365-day window.
    expect(r.flags.map((f: any) => f.flag)).not.toContain('ANNUAL_LIMIT');
    expect(r.missingOutcomes.map((m: any) => m.mrn)).toEqual(['MRN-G', 'MRN-H', 'MRN-A', 'MRN-C', 'MRN-D']);
  });
});

describe('access and audit', () => {
  it('is for auditors and admins only', async () => {
    const f = factories(t.app);
    for (const role of ['front_desk', 'clinician'] as const) {
      expect((await get('/v1/reports/daily?date=2027-03-14', (await f.apiKey(role)).key)).statusCode).toBe(403);
    }
    expect((await t.app.inject({ method: 'GET', url: '/v1/reports/daily?date=2027-03-14' })).statusCode).toBe(401);
    expect((await get('/v1/reports/daily?date=2027-03-14', ADMIN_KEY)).statusCode).toBe(200);
  });

  it('refuses a date that is not a calendar date', async () => {
    const res = await get('/v1/reports/daily?date=2027-02-30');
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('REQUEST.VALIDATION');
  });

  it('records each read as a report.read audit event naming the date', async () => {
    const before = await sql.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'report.read'`);
    await get('/v1/reports/daily?date=2027-03-14');
    const { rows } = await sql.query(
      `SELECT "actorRole", "entityId", after FROM audit_events WHERE action = 'report.read' ORDER BY id DESC LIMIT 1`,
    );
    expect((await sql.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'report.read'`)).rows[0].n).toBe(
      before.rows[0].n + 1,
    );
    expect(rows[0]).toEqual({ actorRole: 'auditor', entityId: '2027-03-14', after: { date: '2027-03-14' } });
  });

  it('gives the same content hash for the same data, another after a change', async () => {
    const h1 = (await get('/v1/reports/daily?date=2027-03-14')).json().meta.contentHash;
    t.setNow('2027-03-16T08:00:00Z');
    const h2 = (await get('/v1/reports/daily?date=2027-03-14')).json().meta.contentHash;
    expect(h2).toBe(h1);
    await sql.query(`UPDATE injections SET "cancelReason" = 'patient unwell' WHERE id = $1`, [I.E]);
    const h3 = (await get('/v1/reports/daily?date=2027-03-14')).json().meta.contentHash;
    expect(h3).not.toBe(h1);
    await sql.query(`UPDATE injections SET "cancelReason" = $2 WHERE id = $1`, [I.E, FORMULA_REASON]);
    t.setNow('2027-03-15T12:00:00Z');
  });

  it('documents the report shape in OpenAPI', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const content = doc.paths['/v1/reports/daily'].get.responses['200'].content;
    expect(Object.keys(content).sort()).toEqual(['application/json', 'text/csv']);
    expect(content['application/json'].schema.$ref).toBe('#/components/schemas/DailyReport');
    const props = doc.components.schemas.DailyReport.properties;
    expect(Object.keys(props)).toEqual([
      'meta',
      'totals',
      'injections',
      'r1Exemptions',
      'integrity',
      'missingOutcomes',
      'noShowsAndCancellations',
      'flags',
    ]);
    expect(Object.keys(props.r1Exemptions.items.properties)).toContain('hoursFromExemptionToBooking');
    expect(doc.paths['/v1/reports/runs'].get.responses['200']).toBeDefined();
  });
});
