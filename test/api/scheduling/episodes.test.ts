// Episodes: one open per patient, edits only while open, and closing cancels the future scheduled
// injections atomically. "Now" is 2027-06-15 16:00 UTC (12:00 in New York).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { api, expectProblem, expectValidation, nyMorning } from './support.ts';

let t: TestApp;
let a: ReturnType<typeof api>;
beforeAll(async () => {
  t = await createTestApp({ now: '2027-06-15T16:00:00Z' });
  a = api(t);
});
afterAll(async () => t.close());

const episodeBody = {
  region: 'cervical',
  diagnosis: 'C6 radiculopathy',
  conservativeCareStartedOn: '2027-03-01',
  therapies: ['medication'],
  severity: 'mild',
  neurologicalSigns: [],
};

describe('opening episodes', () => {
  it('creates an episode with its R1 facts and refuses a second open one', async () => {
    const p = await a.patient();
    const created = await a.call('POST', `/v1/patients/${p.id}/episodes`, episodeBody);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      patientId: p.id,
      status: 'open',
      region: 'cervical',
      r1Exempt: false,
      conservativeTrialEndsOn: '2027-04-12',
      closedReason: null,
    });
    expectProblem(await a.call('POST', `/v1/patients/${p.id}/episodes`, episodeBody), 409, 'EPISODE.ALREADY_OPEN');

    expect((await a.call('POST', `/v1/episodes/${created.body.id}/close`, { reason: 'resolved' })).status).toBe(200);
    expect((await a.call('POST', `/v1/patients/${p.id}/episodes`, episodeBody)).status).toBe(201);
  });

  it('answers 404 for an unknown patient and 400 for a bad body', async () => {
    expectProblem(
      await a.call('POST', '/v1/patients/00000000-0000-4000-8000-000000000000/episodes', episodeBody),
      404,
      'PATIENT.NOT_FOUND',
    );
    const p = await a.patient();
    expectValidation(await a.call('POST', `/v1/patients/${p.id}/episodes`, { ...episodeBody, region: 'sacral' }), 'region');
    expectValidation(
      await a.call('POST', `/v1/patients/${p.id}/episodes`, { ...episodeBody, neurologicalSigns: ['weakness', 'weakness'] }),
      'neurologicalSigns',
    );
    expectValidation(
      await a.call('POST', `/v1/patients/${p.id}/episodes`, { ...episodeBody, conservativeCareStartedOn: '2027-02-30' }),
      'conservativeCareStartedOn',
    );
  });
});

describe('editing episodes', () => {
  it('changes the clinical fields and refuses others', async () => {
    const { episodeId } = await a.patientWithEpisode();
    const r = await a.call('PATCH', `/v1/episodes/${episodeId}`, { diagnosis: 'L4 radiculopathy', therapies: ['exercise_education'] });
    expect(r.body).toMatchObject({ diagnosis: 'L4 radiculopathy', therapies: ['exercise_education'] });
    expectValidation(await a.call('PATCH', `/v1/episodes/${episodeId}`, { conservativeCareStartedOn: '2026-01-01' }));
    expectValidation(await a.call('PATCH', `/v1/episodes/${episodeId}`, { status: 'closed' }));
    expectValidation(await a.call('PATCH', `/v1/episodes/${episodeId}`, {}));
  });

  it('refuses to edit or re-close a closed episode (409)', async () => {
    const { episodeId } = await a.patientWithEpisode();
    await a.call('POST', `/v1/episodes/${episodeId}/close`, { reason: 'resolved' });
    expectProblem(await a.call('PATCH', `/v1/episodes/${episodeId}`, { severity: 'severe' }), 409, 'EPISODE.CLOSED');
    expectProblem(await a.call('POST', `/v1/episodes/${episodeId}/close`, { reason: 'again' }), 409, 'EPISODE.CLOSED');
    expectProblem(
      await a.call('PATCH', '/v1/episodes/00000000-0000-4000-8000-000000000000', { severity: 'severe' }),
      404,
      'EPISODE.NOT_FOUND',
    );
    expectValidation(await a.call('POST', `/v1/episodes/${episodeId}/close`, {}), 'reason');
  });
});

describe('closing an episode', () => {
  async function withInjections() {
    const { patientId, episodeId } = await a.exemptPatient();
    const done = await a.booked(patientId, episodeId, '2027-05-17');
    await a.complete(done.id, '2027-05-17T14:00:00Z');
    const pastScheduled = await a.booked(patientId, episodeId, '2027-06-01');
    // Later today (17:00 New York is after "now"), and two in the weeks ahead.
    const laterToday = (await a.book(patientId, episodeId, nyMorning('2027-06-15', '17:00'))).body;
    const future1 = await a.booked(patientId, episodeId, '2027-07-01');
    const future2 = await a.booked(patientId, episodeId, '2027-07-15');
    return { patientId, episodeId, done, pastScheduled, future: [laterToday.id, future1.id, future2.id] };
  }

  it('cancels the future scheduled injections, reports their ids and leaves the past alone', async () => {
    const s = await withInjections();
    const r = await a.call('POST', `/v1/episodes/${s.episodeId}/close`, { reason: 'surgery planned' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'closed', closedReason: 'surgery planned', closedAt: '2027-06-15T16:00:00.000Z' });
    expect([...r.body.cancelledInjectionIds].sort()).toEqual([...s.future].sort());

    const byId = new Map((await a.history(s.patientId)).map((i) => [i.id, i]));
    expect(byId.get(s.done.id)?.status).toBe('completed');
    expect(byId.get(s.pastScheduled.id)?.status).toBe('scheduled');
    for (const id of s.future)
      expect(byId.get(id)).toMatchObject({ status: 'cancelled', cancelReason: expect.stringContaining('surgery planned') });

    const detail = await a.call('GET', `/v1/patients/${s.patientId}`);
    expect(detail.body).toMatchObject({ openEpisode: null, nextInjection: null });
  });

  it('changes nothing when the cancellation fails (one transaction)', async () => {
    const s = await withInjections();
    const sql = new pg.Client({ connectionString: t.testDb.url });
    await sql.connect();
    try {
      // Make the bulk cancel fail for this patient only, after the episode row was updated.
      await sql.query(`CREATE FUNCTION refuse_cancel() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.status = 'cancelled' AND NEW."patientId" = '${s.patientId}' THEN RAISE EXCEPTION 'refused by test'; END IF; RETURN NEW; END $$`);
      await sql.query('CREATE TRIGGER refuse_cancel BEFORE UPDATE ON injections FOR EACH ROW EXECUTE FUNCTION refuse_cancel()');
      expectProblem(await a.call('POST', `/v1/episodes/${s.episodeId}/close`, { reason: 'surgery planned' }), 500, 'INTERNAL');
    } finally {
      await sql.query('DROP TRIGGER IF EXISTS refuse_cancel ON injections; DROP FUNCTION IF EXISTS refuse_cancel()');
      await sql.end();
    }
    const detail = await a.call('GET', `/v1/patients/${s.patientId}`);
    expect(detail.body.openEpisode).toMatchObject({ id: s.episodeId, status: 'open' });
    const statuses = (await a.history(s.patientId)).map((i) => i.status);
    expect(statuses).toEqual(['completed', 'scheduled', 'scheduled', 'scheduled', 'scheduled']);
  });
});
