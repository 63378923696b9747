// An injection's life after booking: reschedule (R1–R3 re-checked, itself excluded), cancel, no-show,
// complete and outcome. "Today" is pinned to 2027-06-15 in the clinic (New York).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { api, expectProblem, expectValidation, expectViolation, nyMorning } from './support.ts';

const NOW = '2027-06-15T16:00:00Z';
let t: TestApp;
let a: ReturnType<typeof api>;
beforeAll(async () => {
  t = await createTestApp({ now: NOW });
  a = api(t);
});
afterAll(async () => t.close());

describe('reschedule', () => {
  it('refuses a move into a conflict and leaves the row as it was', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const first = await a.booked(patientId, episodeId, '2027-07-01');
    const second = await a.booked(patientId, episodeId, '2027-07-20');
    expectViolation(await a.reschedule(second.id, nyMorning('2027-07-10')), 'R2_INJECTION_INTERVAL', '2027-07-15');
    const rows = await a.history(patientId);
    expect(rows.map((r) => [r.id, r.localDate, r.scheduledAt])).toEqual([
      [first.id, '2027-07-01', first.scheduledAt],
      [second.id, '2027-07-20', second.scheduledAt],
    ]);
  });

  it('excludes the injection itself: a move by one day is fine', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const inj = await a.booked(patientId, episodeId, '2027-08-02');
    const moved = await a.reschedule(inj.id, '2027-08-03T14:15:00Z');
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id: inj.id, localDate: '2027-08-03', scheduledAt: '2027-08-03T14:15:00.000Z', status: 'scheduled' });
    expect((await a.history(patientId)).map((r) => r.localDate)).toEqual(['2027-08-03']);
  });

  it('re-checks R1 against the episode', async () => {
    const { patientId, episodeId } = await a.patientWithEpisode();
    const inj = await a.booked(patientId, episodeId, '2027-02-20');
    expectViolation(await a.reschedule(inj.id, nyMorning('2027-02-10')), 'R1_CONSERVATIVE_TRIAL', '2027-02-15');
    expect((await a.reschedule(inj.id, nyMorning('2027-02-15'))).status).toBe(200);
  });

  it('re-checks R3: an injection of a closed episode cannot be moved', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    // In the past, so closing the episode leaves it scheduled.
    const inj = await a.booked(patientId, episodeId, '2027-06-01');
    expect((await a.call('POST', `/v1/episodes/${episodeId}/close`, { reason: 'moved away' })).body.cancelledInjectionIds).toEqual([]);
    expectViolation(await a.reschedule(inj.id, nyMorning('2027-06-02')), 'R3_EPISODE', null);
    expect((await a.history(patientId))[0]).toMatchObject({ localDate: '2027-06-01', status: 'scheduled' });
  });

  it('refuses to move an injection that is no longer scheduled (409)', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const inj = await a.booked(patientId, episodeId, '2027-07-01');
    expect((await a.cancel(inj.id)).status).toBe(200);
    expectProblem(await a.reschedule(inj.id, nyMorning('2027-07-02')), 409, 'INJECTION.INVALID_TRANSITION');
  });

  it('answers 404 for an unknown injection', async () => {
    expectProblem(await a.reschedule('00000000-0000-4000-8000-000000000000', nyMorning('2027-07-02')), 404, 'INJECTION.NOT_FOUND');
  });
});

describe('cancelled and no-show injections free their dates', () => {
  it('a cancelled date books again', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const inj = await a.booked(patientId, episodeId, '2027-09-06');
    const cancelled = await a.cancel(inj.id, 'patient has a cold');
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'patient has a cold' });
    expect((await a.book(patientId, episodeId, nyMorning('2027-09-06'))).status).toBe(201);
    expect((await a.book(patientId, episodeId, nyMorning('2027-09-10'))).status).toBe(422);
  });

  it('a no-show date books again, and a future appointment cannot be a no-show', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const past = await a.booked(patientId, episodeId, '2027-06-10');
    expect((await a.noShow(past.id)).body.status).toBe('no_show');
    expect((await a.book(patientId, episodeId, nyMorning('2027-06-10'))).status).toBe(201);

    const future = await a.booked(patientId, episodeId, '2027-07-12');
    expectProblem(await a.noShow(future.id), 409, 'INJECTION.INVALID_TRANSITION');
    expect((await a.history(patientId)).find((r) => r.id === future.id)?.status).toBe('scheduled');
  });

  it("this morning's appointment can be a no-show; this evening's cannot yet", async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const morning = await a.booked(patientId, episodeId, '2027-06-15');
    expect((await a.noShow(morning.id)).status).toBe(200);
    // "Now" is noon in New York.
    const evening = await a.book(patientId, episodeId, nyMorning('2027-06-15', '17:00'));
    expect(evening.status).toBe(201);
    expectProblem(await a.noShow(evening.body.id), 409, 'INJECTION.INVALID_TRANSITION');
  });
});

describe('status moves only from scheduled', () => {
  it('refuses every move out of completed, cancelled and no_show with 409', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const done = await a.booked(patientId, episodeId, '2027-04-05');
    expect((await a.complete(done.id, '2027-04-05T14:30:00Z')).body).toMatchObject({
      status: 'completed',
      performedAt: '2027-04-05T14:30:00.000Z',
    });
    const gone = await a.booked(patientId, episodeId, '2027-04-19');
    await a.cancel(gone.id);
    const missed = await a.booked(patientId, episodeId, '2027-05-03');
    await a.noShow(missed.id);

    for (const id of [done.id, gone.id, missed.id]) {
      expectProblem(await a.cancel(id), 409, 'INJECTION.INVALID_TRANSITION');
      expectProblem(await a.noShow(id), 409, 'INJECTION.INVALID_TRANSITION');
      expectProblem(await a.complete(id, '2027-05-03T15:00:00Z'), 409, 'INJECTION.INVALID_TRANSITION');
    }
    expect((await a.history(patientId)).map((r) => r.status)).toEqual(['completed', 'cancelled', 'no_show']);
  });

  it('refuses completion with a performedAt in the future (422) and leaves it scheduled', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const inj = await a.booked(patientId, episodeId, '2027-06-15');
    expectProblem(await a.complete(inj.id, '2027-06-15T18:00:00Z'), 422, 'INJECTION.PERFORMED_IN_FUTURE');
    expect((await a.history(patientId))[0]?.status).toBe('scheduled');
    expect((await a.complete(inj.id, '2027-06-15T15:00:00Z')).status).toBe(200);
  });
});

describe('outcome', () => {
  async function completed(date: string) {
    const { patientId, episodeId } = await a.exemptPatient();
    const inj = await a.booked(patientId, episodeId, date);
    expect((await a.complete(inj.id, `${date}T15:00:00Z`)).status).toBe(200);
    return { id: inj.id as string, patientId };
  }

  it('is only recorded on a completed injection', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const inj = await a.booked(patientId, episodeId, '2027-05-10');
    expectProblem(await a.outcome(inj.id, { painBefore: 8, painAfter: 3, assessedOn: '2027-05-24' }), 409, 'INJECTION.INVALID_TRANSITION');
  });

  it('derives percentImprovement from the pain scores when omitted, and keeps a given one', async () => {
    const { id } = await completed('2027-05-10');
    const derived = await a.outcome(id, { painBefore: 8, painAfter: 2, assessedOn: '2027-05-24' });
    expect(derived.status).toBe(200);
    expect(derived.body.outcome).toEqual({
      painBefore: 8,
      painAfter: 2,
      percentImprovement: 75,
      assessedOn: '2027-05-24',
      reliefLastedDays: null,
      countsForFlags: true,
    });
    const given = await a.outcome(id, { painBefore: 8, painAfter: 2, percentImprovement: 60, assessedOn: '2027-05-25' });
    expect(given.body.outcome).toMatchObject({ percentImprovement: 60, assessedOn: '2027-05-25' });
  });

  it.each([
    ['painBefore 11', { painBefore: 11, painAfter: 3 }, 'painBefore'],
    ['painAfter -1', { painBefore: 5, painAfter: -1 }, 'painAfter'],
    ['a fractional score', { painBefore: 5.5, painAfter: 3 }, 'painBefore'],
    ['percentImprovement 101', { painBefore: 5, painAfter: 3, percentImprovement: 101 }, 'percentImprovement'],
  ])('refuses %s with 400', async (_what, scores, path) => {
    const { id, patientId } = await completed('2027-05-10');
    expectValidation(await a.outcome(id, { ...scores, assessedOn: '2027-05-24' }), path);
    expect((await a.history(patientId))[0]?.outcome).toBeNull();
  });

  it('refuses an assessment dated in the future or before the injection', async () => {
    const { id } = await completed('2027-05-10');
    expectValidation(await a.outcome(id, { painBefore: 6, painAfter: 3, assessedOn: '2027-06-16' }), 'assessedOn');
    expectValidation(await a.outcome(id, { painBefore: 6, painAfter: 3, assessedOn: '2027-05-09' }), 'assessedOn');
  });
});
