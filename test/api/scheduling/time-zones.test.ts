// Calendar dates in the clinic's zone decide every rule: not UTC dates, not 24-hour blocks, and not
// the process zone (npm test runs this file with TZ=UTC and again with TZ=Pacific/Auckland).
// New York's 2027 DST changes: spring forward 2027-03-14, fall back 2027-11-07.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { api, expectValidation, expectViolation } from './support.ts';

let t: TestApp;
let a: ReturnType<typeof api>;
beforeAll(async () => {
  t = await createTestApp();
  a = api(t);
});
afterAll(async () => t.close());

const hoursBetween = (x: string, y: string) => (Date.parse(y) - Date.parse(x)) / 3_600_000;

describe('instants and clinic dates (America/New_York)', () => {
  it('refuses a naive date-time on every field that takes an instant', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    expectValidation(await a.book(patientId, episodeId, '2027-02-15T09:00:00'), 'scheduledAt');
    const inj = await a.booked(patientId, episodeId, '2027-02-15');
    expectValidation(await a.reschedule(inj.id, '2027-02-16T09:00:00'), 'scheduledAt');
    expectValidation(await a.complete(inj.id, '2027-02-15T09:30:00'), 'performedAt');
    expect((await a.history(patientId))[0]).toMatchObject({ localDate: '2027-02-15', status: 'scheduled' });
  });

  it('accepts an instant given to the minute, and refuses offsets or dates that do not parse', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const r = await a.book(patientId, episodeId, '2027-02-15T09:00-05:00');
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ scheduledAt: '2027-02-15T14:00:00.000Z', localDate: '2027-02-15' });
    const other = await a.exemptPatient();
    expectValidation(await a.book(other.patientId, other.episodeId, '2027-02-15 09:00:00Z'), 'scheduledAt');
    expectValidation(await a.book(other.patientId, other.episodeId, '2027-02-30T09:00:00Z'), 'scheduledAt');
    expectValidation(await a.book(other.patientId, other.episodeId, '2027-02-15T09:00:00+25:00'), 'scheduledAt');
  });

  it('gives an instant the clinic date, which may differ from its UTC date', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const r = await a.book(patientId, episodeId, '2027-03-01T03:30:00Z');
    expect(r.body).toMatchObject({ scheduledAt: '2027-03-01T03:30:00.000Z', localDate: '2027-02-28' });
    // An offset other than the clinic's is converted, and the answer is in UTC.
    const other = await a.patientWithEpisode({ severity: 'severe' });
    const r2 = await a.book(other.patientId, other.episodeId, '2027-05-10T23:30:00+09:00');
    expect(r2.body).toMatchObject({ scheduledAt: '2027-05-10T14:30:00.000Z', localDate: '2027-05-10' });
  });

  it('judges R2 by clinic dates: 13 days apart in New York is refused even when the UTC dates are 14', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const first = await a.book(patientId, episodeId, '2027-04-01T08:00:00-04:00');
    expect(first.body.localDate).toBe('2027-04-01');
    // 23:30 on 04-14 in New York is 03:30 on 04-15 UTC.
    expectViolation(await a.book(patientId, episodeId, '2027-04-14T23:30:00-04:00'), 'R2_INJECTION_INTERVAL', '2027-04-15');
    expect((await a.book(patientId, episodeId, '2027-04-15T00:30:00-04:00')).status).toBe(201);
  });

  it('accepts 14 calendar days across the spring change although only 335 hours pass', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const before = '2027-03-07T09:00:00-05:00';
    const after = '2027-03-21T09:00:00-04:00';
    expect(hoursBetween(before, after)).toBe(335);
    expect((await a.book(patientId, episodeId, before)).status).toBe(201);
    const r = await a.book(patientId, episodeId, after);
    expect(r.status).toBe(201);
    expect(r.body.localDate).toBe('2027-03-21');
  });

  it('counts calendar days, not 24-hour blocks, around both changes', async () => {
    // Spring: late evening 03-01 to just after midnight 03-15 is 14 dates but under 14 × 24 hours.
    const spring = await a.exemptPatient();
    expect((await a.book(spring.patientId, spring.episodeId, '2027-03-01T23:30:00-05:00')).status).toBe(201);
    expect(hoursBetween('2027-03-01T23:30:00-05:00', '2027-03-15T00:15:00-04:00')).toBeLessThan(14 * 24);
    expect((await a.book(spring.patientId, spring.episodeId, '2027-03-15T00:15:00-04:00')).status).toBe(201);

    // Fall: 10-24 late evening to 11-07 just after midnight, and 13 dates that span over 13 × 24 hours.
    const fall = await a.exemptPatient();
    expect((await a.book(fall.patientId, fall.episodeId, '2027-10-24T23:30:00-04:00')).status).toBe(201);
    expect((await a.book(fall.patientId, fall.episodeId, '2027-11-07T00:15:00-04:00')).body.localDate).toBe('2027-11-07');
    const late = await a.exemptPatient();
    expect((await a.book(late.patientId, late.episodeId, '2027-10-31T00:15:00-04:00')).status).toBe(201);
    expect(hoursBetween('2027-10-31T00:15:00-04:00', '2027-11-13T23:45:00-05:00')).toBeGreaterThan(13 * 24);
    expectViolation(await a.book(late.patientId, late.episodeId, '2027-11-13T23:45:00-05:00'), 'R2_INJECTION_INTERVAL', '2027-11-14');
  });

  it('places a reschedule across the change on the right date', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const inj = await a.booked(patientId, episodeId, '2027-11-01');
    const moved = await a.reschedule(inj.id, '2027-11-08T04:30:00Z'); // 23:30 on 11-07, EST
    expect(moved.body).toMatchObject({ localDate: '2027-11-07', scheduledAt: '2027-11-08T04:30:00.000Z' });
  });
});

describe('the clinic zone, not the process zone, decides localDate (Asia/Kolkata clinic)', () => {
  let k: TestApp;
  let ka: ReturnType<typeof api>;
  beforeAll(async () => {
    k = await createTestApp({ clinicTimeZone: 'Asia/Kolkata', now: '2027-03-01T20:00:00Z' });
    ka = api(k);
  });
  afterAll(async () => k.close());

  it('dates bookings, rules, schedule and "today" in Kolkata', async () => {
    const { patientId, episodeId } = await ka.exemptPatient();
    const r = await ka.book(patientId, episodeId, '2027-03-01T20:00:00Z'); // 01:30 on 03-02 in Kolkata
    expect(r.body).toMatchObject({ localDate: '2027-03-02' });
    // 23:30 on 03-15 in Kolkata: 13 Kolkata days although the UTC dates are 14 apart.
    expectViolation(await ka.book(patientId, episodeId, '2027-03-15T18:00:00Z'), 'R2_INJECTION_INTERVAL', '2027-03-16');
    expect((await ka.book(patientId, episodeId, '2027-03-15T18:30:00Z')).body.localDate).toBe('2027-03-16');

    const day = (await ka.call('GET', '/v1/schedule?date=2027-03-02')).body;
    expect(day).toMatchObject({ timeZone: 'Asia/Kolkata' });
    expect(day.items.map((i: { id: string }) => i.id)).toEqual([r.body.id]);
    expect((await ka.call('GET', '/v1/schedule?date=2027-03-01')).body.items).toEqual([]);
    expect((await ka.call('GET', `/v1/patients/${patientId}/eligibility`)).body.on).toBe('2027-03-02');
    expect((await ka.call('GET', `/v1/patients/${patientId}/injections`)).body.timeZone).toBe('Asia/Kolkata');
  });
});
