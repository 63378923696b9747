// The read side: eligibility, history, a day's schedule and the patient detail with its flags.
// "Now" is 2027-06-15 16:00 UTC (12:00 in New York) unless a test moves it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { api, expectProblem, expectValidation, nyMorning } from './support.ts';

const NOW = '2027-06-15T16:00:00Z';
let t: TestApp;
let a: ReturnType<typeof api>;
beforeAll(async () => {
  t = await createTestApp({ now: NOW });
  a = api(t);
});
beforeEach(() => t.setNow(NOW));
afterAll(async () => t.close());

describe('eligibility', () => {
  it('reports R1 with its end date, then eligibility on day 42', async () => {
    const { patientId } = await a.patientWithEpisode();
    const before = await a.eligibility(patientId, '2027-02-01');
    expect(before.status).toBe(200);
    expect(before.body).toEqual({
      eligible: false,
      on: '2027-02-01',
      earliestEligibleDate: '2027-02-15',
      blockers: [{ rule: 'R1_CONSERVATIVE_TRIAL', message: expect.any(String), until: '2027-02-15' }],
    });
    expect((await a.eligibility(patientId, '2027-02-15')).body).toEqual({
      eligible: true,
      on: '2027-02-15',
      earliestEligibleDate: '2027-02-15',
      blockers: [],
    });
  });

  it('finds the middle date of a 28-day gap between two future bookings', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    await a.booked(patientId, episodeId, '2027-09-01');
    await a.booked(patientId, episodeId, '2027-09-29');
    const r = (await a.eligibility(patientId, '2027-09-02')).body;
    expect(r).toMatchObject({
      eligible: false,
      earliestEligibleDate: '2027-09-15',
      blockers: [{ rule: 'R2_INJECTION_INTERVAL', until: '2027-09-15' }],
    });
    expect((await a.eligibility(patientId, '2027-09-15')).body).toMatchObject({
      eligible: true,
      earliestEligibleDate: '2027-09-15',
      blockers: [],
    });
    expect((await a.book(patientId, episodeId, nyMorning('2027-09-15'))).status).toBe(201);
  });

  it('admits nothing inside a 27-day gap', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    await a.booked(patientId, episodeId, '2027-09-01');
    await a.booked(patientId, episodeId, '2027-09-28');
    for (const on of ['2027-09-14', '2027-09-15']) {
      const r = (await a.eligibility(patientId, on)).body;
      expect(r).toMatchObject({ eligible: false, earliestEligibleDate: '2027-10-12' });
      expect(r.blockers.map((b: { rule: string }) => b.rule)).toEqual(['R2_INJECTION_INTERVAL']);
    }
    expect((await a.eligibility(patientId, '2027-09-15')).body.blockers[0].until).toBe('2027-10-12');
  });

  it('ignores cancelled bookings', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const inj = await a.booked(patientId, episodeId, '2027-10-04');
    await a.cancel(inj.id);
    expect((await a.eligibility(patientId, '2027-10-05')).body).toMatchObject({ eligible: true, blockers: [] });
  });

  it('reports R3 and no earliest date without an open episode', async () => {
    const p = await a.patient();
    expect((await a.eligibility(p.id, '2027-07-01')).body).toEqual({
      eligible: false,
      on: '2027-07-01',
      earliestEligibleDate: null,
      blockers: [{ rule: 'R3_EPISODE', message: expect.any(String), until: null }],
    });
  });

  it("defaults `on` to today in the clinic's zone, not UTC's", async () => {
    const { patientId } = await a.exemptPatient();
    t.setNow('2027-03-01T03:30:00Z'); // 22:30 on 2027-02-28 in New York
    expect((await a.call('GET', `/v1/patients/${patientId}/eligibility`)).body.on).toBe('2027-02-28');
  });

  it('answers 400 for a bad date and 404 for an unknown patient', async () => {
    const p = await a.patient();
    expectValidation(await a.eligibility(p.id, '2027-13-01'), 'on');
    expectProblem(await a.eligibility('00000000-0000-4000-8000-000000000000', '2027-07-01'), 404, 'PATIENT.NOT_FOUND');
  });
});

describe('history', () => {
  it('lists oldest first with days since the previous scheduled or completed injection', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    // Booked out of order on purpose; each cancelled/no-show date is released before its neighbours exist.
    const missed = await a.booked(patientId, episodeId, '2027-04-05');
    await a.noShow(missed.id);
    const cancelled = await a.booked(patientId, episodeId, '2027-03-10');
    await a.cancel(cancelled.id);
    const d = await a.booked(patientId, episodeId, '2027-04-12');
    await a.booked(patientId, episodeId, '2027-03-22');
    const first = await a.booked(patientId, episodeId, '2027-03-01');
    await a.complete(first.id, '2027-03-01T15:00:00Z');

    const r = await a.call('GET', `/v1/patients/${patientId}/injections`);
    expect(r.body).toMatchObject({ patientId, timeZone: 'America/New_York' });
    expect(r.body.items.map((i: any) => [i.localDate, i.status, i.daysSincePrevious])).toEqual([
      ['2027-03-01', 'completed', null],
      ['2027-03-10', 'cancelled', null],
      ['2027-03-22', 'scheduled', 21],
      ['2027-04-05', 'no_show', null],
      ['2027-04-12', 'scheduled', 21],
    ]);
    expect(r.body.items[4]).toMatchObject({ id: d.id, region: 'lumbar' });
  });

  it('answers 404 for an unknown patient', async () => {
    expectProblem(await a.call('GET', '/v1/patients/00000000-0000-4000-8000-000000000000/injections'), 404, 'PATIENT.NOT_FOUND');
  });
});

describe('schedule', () => {
  it("returns the clinic day's injections with patient names, sorted by time", async () => {
    const ids: Record<string, string> = {};
    const book = async (name: string, scheduledAt: string) => {
      const p = await a.patient({ givenName: name, familyName: 'Sched' });
      const e = await a.episode(p.id, { severity: 'severe' });
      const r = await a.book(p.id, e.id, scheduledAt);
      expect(r.status).toBe(201);
      ids[name] = r.body.id;
    };
    await book('Late', '2027-11-23T03:30:00Z'); // 22:30 on 11-22 in New York
    await book('Noon', '2027-11-22T12:00:00-05:00');
    await book('Early', '2027-11-22T07:15:00-05:00');
    await book('PrevDay', '2027-11-22T04:00:00Z'); // 23:00 on 11-21 in New York
    await book('NextDay', '2027-11-23T05:00:00Z'); // 00:00 on 11-23 in New York

    const r = await a.call('GET', '/v1/schedule?date=2027-11-22');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ date: '2027-11-22', timeZone: 'America/New_York' });
    expect(r.body.items.map((i: any) => [i.patient.givenName, i.patient.familyName, i.localDate])).toEqual([
      ['Early', 'Sched', '2027-11-22'],
      ['Noon', 'Sched', '2027-11-22'],
      ['Late', 'Sched', '2027-11-22'],
    ]);
    expect(r.body.items[2]).toMatchObject({ id: ids.Late, scheduledAt: '2027-11-23T03:30:00.000Z' });
    expect((await a.call('GET', '/v1/schedule?date=2027-11-21')).body.items.map((i: any) => i.id)).toEqual([ids.PrevDay]);
    expectValidation(await a.call('GET', '/v1/schedule'), 'date');
    expect(r.body.nextCursor).toBeNull();
  });

  it('pages a day by time with an opaque cursor, without gaps or repeats, and refuses cursors it did not issue', async () => {
    const day = '2027-12-06';
    const times = ['09:00', '09:00', '09:00', '10:30', '11:00', '13:15', '16:45'];
    for (const [n, time] of times.entries()) {
      const p = await a.patient({ givenName: `Page${n}`, familyName: 'Sched' });
      const e = await a.episode(p.id, { severity: 'severe' });
      expect((await a.book(p.id, e.id, `${day}T${time}:00-05:00`)).status).toBe(201);
    }
    const whole = await a.call('GET', `/v1/schedule?date=${day}`);
    expect(whole.body.items).toHaveLength(times.length);
    expect(whole.body.nextCursor).toBeNull();

    const pages: any[][] = [];
    let cursor: string | null = null;
    do {
      const res = await a.call('GET', `/v1/schedule?date=${day}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ date: day, timeZone: 'America/New_York' });
      pages.push(res.body.items);
      cursor = res.body.nextCursor;
      if (cursor) expect(Buffer.from(cursor, 'base64url').toString()).not.toMatch(/Page|Sched/);
    } while (cursor && pages.length < 10);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    // Three injections share 09:00: the id breaks the tie, so the page boundary inside them loses none.
    expect(pages.flat().map((i) => i.id)).toEqual(whole.body.items.map((i: any) => i.id));

    const first = (await a.call('GET', `/v1/schedule?date=${day}&limit=2`)).body.nextCursor as string;
    expect(first).toEqual(expect.any(String));
    // A cursor of another day, a forged one, one that is not base64url of a cursor: 400, nothing read.
    expectValidation(await a.call('GET', `/v1/schedule?date=2027-12-07&cursor=${first}`), 'cursor');
    const forged = Buffer.from(`${day}|not-a-time|${whole.body.items[0].id}`).toString('base64url');
    expectValidation(await a.call('GET', `/v1/schedule?date=${day}&cursor=${forged}`), 'cursor');
    expectValidation(await a.call('GET', `/v1/schedule?date=${day}&cursor=bm9wZQ`), 'cursor');
    expectValidation(await a.call('GET', `/v1/schedule?date=${day}&cursor=${'x'.repeat(201)}`), 'cursor');
    expectValidation(await a.call('GET', `/v1/schedule?date=${day}&limit=0`), 'limit');
    expectValidation(await a.call('GET', `/v1/schedule?date=${day}&limit=501`), 'limit');
    expect((await a.call('GET', `/v1/schedule?date=${day}&limit=500`)).body.items).toHaveLength(times.length);
  });
});

describe('patient detail', () => {
  it('shows the open episode, last and next injection', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const past = await a.booked(patientId, episodeId, '2027-05-20');
    await a.complete(past.id, '2027-05-20T14:00:00Z');
    const next = await a.booked(patientId, episodeId, '2027-07-01');
    await a.booked(patientId, episodeId, '2027-07-20');
    const r = await a.call('GET', `/v1/patients/${patientId}`);
    expect(r.status).toBe(200);
    expect(r.body.openEpisode).toMatchObject({ id: episodeId, status: 'open' });
    expect(r.body.lastInjection).toMatchObject({ id: past.id, status: 'completed' });
    expect(r.body.nextInjection).toMatchObject({ id: next.id, localDate: '2027-07-01' });
  });

  it('flags URGENT_SURGICAL_REVIEW when weakness is recorded', async () => {
    const { patientId, episodeId } = await a.patientWithEpisode();
    expect((await a.call('GET', `/v1/patients/${patientId}`)).body.flags).toEqual([]);
    await a.call('PATCH', `/v1/episodes/${episodeId}`, { neurologicalSigns: ['weakness'] });
    const flags = (await a.call('GET', `/v1/patients/${patientId}`)).body.flags;
    expect(flags.map((f: { flag: string }) => f.flag)).toEqual(['URGENT_SURGICAL_REVIEW']);
    expect(flags[0].message).toMatch(/weakness/);
  });

  it('suggests a second injection after one completed with 60% improvement', async () => {
    const { patientId, episodeId } = await a.patientWithEpisode();
    const inj = await a.booked(patientId, episodeId, '2027-05-03');
    await a.complete(inj.id, '2027-05-03T14:00:00Z');
    expect((await a.call('GET', `/v1/patients/${patientId}`)).body.flags).toEqual([]);
    await a.outcome(inj.id, { painBefore: 10, painAfter: 4, assessedOn: '2027-05-17' });
    const detail = (await a.call('GET', `/v1/patients/${patientId}`)).body;
    expect(detail.lastInjection.outcome).toMatchObject({ percentImprovement: 60 });
    expect(detail.flags.map((f: { flag: string }) => f.flag)).toEqual(['SECOND_INJECTION_SUGGESTED']);
    // Booking the second one answers the suggestion.
    await a.booked(patientId, episodeId, '2027-06-21');
    expect((await a.call('GET', `/v1/patients/${patientId}`)).body.flags.map((f: { flag: string }) => f.flag)).not.toContain(
      'SECOND_INJECTION_SUGGESTED',
    );
  });
});
