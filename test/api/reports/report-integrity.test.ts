// A clinic made through the real API must pass every integrity check (so the checks expect exactly the
// audit events the services write); rows slipped in behind the service's back, in this file's own
// database with the R2 constraint dropped, must each be caught by their check.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditGaps } from '../../../src/modules/reports/report-integrity.queries.ts';
import { createTestApp, factories, type TestApp } from '../../helpers/app.ts';
import { DESK, uid } from './fixture.ts';

let t: TestApp;
let sql: pg.Client;
beforeAll(async () => {
  t = await createTestApp({ now: '2027-03-20T12:00:00Z' });
  sql = new pg.Client({ connectionString: t.testDb.url });
  await sql.connect();
});
afterAll(async () => {
  await sql.end();
  await t.close();
});

const report = async (date: string) => {
  const res = await t.app.inject({
    method: 'GET',
    url: `/v1/reports/daily?date=${date}`,
    headers: { authorization: 'Bearer test-admin-key-0123456789abcdef-0123456789' },
  });
  expect(res.statusCode).toBe(200);
  return res.json();
};

const rawInjection = async (id: string, patientId: string, episodeId: string, localDate: string, status: string, audited: boolean) => {
  await sql.query(
    `INSERT INTO injections (id, "patientId", "episodeId", "scheduledAt", "localDate", levels, approach, side, status, "performedAt")
     VALUES ($1, $2, $3, ($4::date + time '14:00') AT TIME ZONE 'America/New_York', $4::date, '{L5-S1}', 'interlaminar', 'midline', $5::"InjectionStatus",
             CASE WHEN $5::text = 'completed' THEN ($4::date + time '14:30') AT TIME ZONE 'America/New_York' END)`,
    [id, patientId, episodeId, localDate, status],
  );
  if (!audited) return;
  for (const action of ['injection.book', ...(status === 'completed' ? ['injection.complete'] : [])]) {
    await sql.query(
      `INSERT INTO audit_events ("actorId", "actorName", "actorRole", action, "entityType", "entityId", "patientId") VALUES ($1, $2, 'front_desk', $3, 'injection', $4, $5)`,
      [DESK.id, DESK.name, action, id, patientId],
    );
  }
};

describe('integrity checks', () => {
  const ids: Record<string, any> = {};

  it('are all empty for a clinic run through the API, and name who recorded an exemption booked the same afternoon', async () => {
    const admin = factories(t.app);
    const clinician = await admin.apiKey('clinician');
    const f = factories(t.app, clinician.key);
    const post = (url: string, payload: object) => f.call('POST', url, payload);

    const a = await f.patientWithEpisode();
    const b1 = await f.book(a.patientId, a.episodeId, '2027-03-01T14:00:00Z');
    expect((await post(`/v1/injections/${b1.body.id}/complete`, { performedAt: '2027-03-01T14:30:00Z' })).status).toBe(200);
    expect(
      (await f.call('PUT', `/v1/injections/${b1.body.id}/outcome`, { painBefore: 8, painAfter: 4, assessedOn: '2027-03-15' })).status,
    ).toBe(200);
    const b2 = await f.book(a.patientId, a.episodeId, '2027-03-15T14:00:00Z');
    expect((await post(`/v1/injections/${b2.body.id}/no-show`, {})).status).toBe(200);
    const b3 = await f.book(a.patientId, a.episodeId, '2027-03-29T14:00:00Z');
    expect((await post(`/v1/injections/${b3.body.id}/cancel`, { reason: 'flu' })).status).toBe(200);

    const b = await f.patientWithEpisode({ conservativeCareStartedOn: '2027-03-01' });
    expect((await f.call('PATCH', `/v1/episodes/${b.episodeId}`, { neurologicalSigns: ['weakness'] })).status).toBe(200);
    expect((await f.book(b.patientId, b.episodeId, '2027-03-14T15:00:00Z')).status).toBe(201);

    const c = await f.patientWithEpisode();
    expect((await f.book(c.patientId, c.episodeId, '2027-04-20T14:00:00Z')).status).toBe(201);
    expect((await post(`/v1/episodes/${c.episodeId}/close`, { reason: 'resolved' })).status).toBe(200);
    Object.assign(ids, { a, b, c });

    const r = await report('2027-03-14');
    expect(r.integrity.ok).toBe(true);
    expect(r.integrity.checks.map((x: any) => x.count)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(r.r1Exemptions).toHaveLength(1);
    expect(r.r1Exemptions[0]).toMatchObject({
      episodeId: b.episodeId,
      dayOfTrial: 13,
      neurologicalSigns: ['weakness'],
      exemptionRecordedById: clinician.id,
      exemptionSource: 'audit_trail',
      flagged: true,
      flagReason: 'RECORDED_UNDER_24H_BEFORE_BOOKING',
      bookedByName: expect.stringMatching(/^clinician-/),
    });
    expect(r.r1Exemptions[0].exemptionRecordedByName).toBe(r.r1Exemptions[0].bookedByName);
    expect(r.r1Exemptions[0].hoursFromExemptionToBooking).toBeLessThan(1);
  });

  it('catch rows inserted behind the service: a 5-day pair, a day-10 injection, closed-episode bookings and unaudited rows', async () => {
    const { a, c } = ids;
    const d = await factories(t.app).patientWithEpisode({ conservativeCareStartedOn: '2027-03-01' });
    const e = await factories(t.app).patientWithEpisode();
    const mrn = async (patientId: string) => (await sql.query('SELECT mrn FROM patients WHERE id = $1', [patientId])).rows[0].mrn as string;

    await sql.query('ALTER TABLE injections DROP CONSTRAINT injections_r2_interval_excl');
    await rawInjection(uid(0xa1), a.patientId, a.episodeId, '2027-04-10', 'scheduled', true);
    await rawInjection(uid(0xa2), a.patientId, a.episodeId, '2027-04-15', 'scheduled', true);
    await rawInjection(uid(0xb1), d.patientId, d.episodeId, '2027-03-11', 'scheduled', true);
    await rawInjection(uid(0xc1), c.patientId, c.episodeId, '2027-04-25', 'scheduled', true);
    await rawInjection(uid(0xc2), c.patientId, c.episodeId, '2027-05-10', 'completed', true);
    await rawInjection(uid(0xd1), e.patientId, e.episodeId, '2027-03-22', 'scheduled', false);
    await sql.query(
      `INSERT INTO patients (id, mrn, "givenName", "familyName", "birthDate") VALUES ($1, 'RAW-1', 'Raw', 'Row', '1980-01-01')`,
      [uid(0xe1)],
    );
    // A status change made by SQL: the booking has its audit event, the completion has none.
    const {
      rows: [booked],
    } = await sql.query(`UPDATE injections SET status = 'completed', "performedAt" = "scheduledAt" WHERE "patientId" = $1 RETURNING id`, [
      ids.b.patientId,
    ]);

    const r = await report('2027-03-14');
    expect(r.integrity.ok).toBe(false);
    expect(r.integrity.r2IntervalPairs).toEqual([
      {
        mrn: await mrn(a.patientId),
        firstInjectionId: uid(0xa1),
        firstDate: '2027-04-10',
        firstStatus: 'scheduled',
        secondInjectionId: uid(0xa2),
        secondDate: '2027-04-15',
        secondStatus: 'scheduled',
        daysApart: 5,
      },
    ]);
    expect(r.integrity.r1WithoutExemption).toEqual([
      {
        injectionId: uid(0xb1),
        mrn: await mrn(d.patientId),
        episodeId: d.episodeId,
        status: 'scheduled',
        localDate: '2027-03-11',
        conservativeCareStartedOn: '2027-03-01',
        dayOfTrial: 10,
      },
    ]);
    expect(r.integrity.closedEpisodeInjections).toEqual([
      {
        injectionId: uid(0xc1),
        mrn: await mrn(c.patientId),
        episodeId: c.episodeId,
        status: 'scheduled',
        localDate: '2027-04-25',
        episodeClosedOn: '2027-03-20',
        problem: 'SCHEDULED_ON_CLOSED_EPISODE',
      },
      {
        injectionId: uid(0xc2),
        mrn: await mrn(c.patientId),
        episodeId: c.episodeId,
        status: 'completed',
        localDate: '2027-05-10',
        episodeClosedOn: '2027-03-20',
        problem: 'DATED_AFTER_EPISODE_CLOSED',
      },
    ]);
    expect(r.integrity.auditGaps).toHaveLength(3);
    expect(r.integrity.auditGaps).toEqual(
      expect.arrayContaining([
        { entityType: 'injection', entityId: uid(0xd1), mrn: await mrn(e.patientId), missingAction: 'injection.book' },
        { entityType: 'injection', entityId: booked.id, mrn: await mrn(ids.b.patientId), missingAction: 'injection.complete' },
      ]),
    );
    expect(r.integrity.auditGaps[2]).toEqual({ entityType: 'patient', entityId: uid(0xe1), mrn: 'RAW-1', missingAction: 'patient.create' });
    expect(r.integrity.checks.map((x: any) => [x.check, x.ok, x.count])).toEqual([
      ['r2IntervalPairs', false, 1],
      ['r1WithoutExemption', false, 1],
      ['scheduledNowIneligible', false, 1],
      ['closedEpisodeInjections', false, 2],
      ['auditGaps', false, 3],
      ['auditSeals', true, 0],
    ]);
    expect(r.totals.integrityIssues).toBe(8);
    // The listing stops at the limit in report order, entity type by entity type, and counts them all.
    const full = await auditGaps(sql, 10);
    expect(full.items).toEqual(r.integrity.auditGaps);
    for (const limit of [1, 2, 3]) {
      const cut = await auditGaps(sql, limit);
      expect(cut.count).toBe(3);
      expect(cut.items).toEqual(r.integrity.auditGaps.slice(0, limit));
    }
  });

  it('falls back to the episode stamp for an exemption the audit trail does not record', async () => {
    await sql.query(
      `INSERT INTO episodes (id, "patientId", region, diagnosis, "conservativeCareStartedOn", therapies, severity, "neurologicalSigns", status,
                             "exemptionRecordedAt", "exemptionRecordedById", "exemptionRecordedByName")
       SELECT $1, id, 'cervical', 'imported', '2027-03-10', '{}', 'severe', '{}', 'closed', '2027-03-12T15:00:00Z', $2, 'Imported Record' FROM patients WHERE mrn = 'RAW-1'`,
      [uid(0xe2), uid(0xe3)],
    );
    await sql.query(
      `INSERT INTO injections (id, "patientId", "episodeId", "scheduledAt", "localDate", levels, approach, side, status, "createdAt")
       VALUES ($1, $2, $3, '2027-03-16T14:00:00Z', '2027-03-16', '{C6-C7}', 'interlaminar', 'midline', 'completed', '2027-03-15T15:00:00Z')`,
      [uid(0xe4), uid(0xe1), uid(0xe2)],
    );
    const r = await report('2027-03-16');
    expect(
      r.r1Exemptions.map((x: any) => [
        x.mrn,
        x.exemptionSource,
        x.exemptionRecordedAt,
        x.exemptionRecordedByName,
        x.hoursFromExemptionToBooking,
        x.flagged,
      ]),
    ).toEqual([['RAW-1', 'episode', '2027-03-12T15:00:00.000Z', 'Imported Record', 72, false]]);
  });
});
