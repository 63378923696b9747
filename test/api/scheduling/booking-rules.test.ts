// R1–R3 through POST /v1/injections: the exact rule, the 422 shape and an earliest eligible date that
// can itself be booked. The episode factory starts conservative care on 2027-01-04 (day 42 = 2027-02-15).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { api, expectValidation, expectViolation, expectProblem, nyMorning } from './support.ts';

let t: TestApp;
let a: ReturnType<typeof api>;
beforeAll(async () => {
  t = await createTestApp();
  a = api(t);
});
afterAll(async () => t.close());

describe('R1 conservative trial', () => {
  it('refuses day 41 with R1 and the day-42 date, then accepts day 42', async () => {
    const { patientId, episodeId } = await a.patientWithEpisode();
    const refused = await a.book(patientId, episodeId, nyMorning('2027-02-14'));
    const body = expectViolation(refused, 'R1_CONSERVATIVE_TRIAL', '2027-02-15');
    expect(body.code).toBe('INJECTION.RULE_VIOLATION');
    expect(body.violations).toHaveLength(1);
    expect(body.violations[0].message).toContain('2027-02-15');
    expect(await a.history(patientId)).toHaveLength(0);

    const accepted = await a.book(patientId, episodeId, nyMorning('2027-02-15'));
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({ patientId, episodeId, localDate: '2027-02-15', status: 'scheduled' });
  });

  it('does not apply to an episode recorded as severe or with a neurological sign', async () => {
    const severe = await a.patientWithEpisode({ severity: 'severe' });
    expect((await a.book(severe.patientId, severe.episodeId, nyMorning('2027-01-05'))).status).toBe(201);
    const sign = await a.patientWithEpisode({ neurologicalSigns: ['numbness'] });
    expect((await a.book(sign.patientId, sign.episodeId, nyMorning('2027-01-05'))).status).toBe(201);
  });

  it('honours an exemption recorded later with PATCH, and withdraws it when the episode changes back', async () => {
    const { patientId, episodeId } = await a.patientWithEpisode();
    expectViolation(await a.book(patientId, episodeId, nyMorning('2027-01-20')), 'R1_CONSERVATIVE_TRIAL', '2027-02-15');

    const patched = await a.call('PATCH', `/v1/episodes/${episodeId}`, { neurologicalSigns: ['reflex_loss'] });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ r1Exempt: true, conservativeTrialEndsOn: null });
    const first = await a.book(patientId, episodeId, nyMorning('2027-01-20'));
    expect(first.status).toBe(201);

    expect((await a.call('PATCH', `/v1/episodes/${episodeId}`, { neurologicalSigns: [] })).body.r1Exempt).toBe(false);
    expectViolation(await a.book(patientId, episodeId, nyMorning('2027-02-05')), 'R1_CONSERVATIVE_TRIAL', '2027-02-15');

    expect((await a.call('PATCH', `/v1/episodes/${episodeId}`, { severity: 'severe' })).body.r1Exempt).toBe(true);
    expect((await a.book(patientId, episodeId, nyMorning('2027-02-05'))).status).toBe(201);
  });

  it.each([
    ['severity', { severity: 'severe' }],
    ['neurologicalSigns', { neurologicalSigns: ['weakness'] }],
    ['override', { override: true }],
    ['an unknown field', { note: 'urgent' }],
  ])('refuses a booking body carrying %s with 400 and books nothing', async (_what, extra) => {
    const { patientId, episodeId } = await a.patientWithEpisode();
    expectValidation(await a.book(patientId, episodeId, nyMorning('2027-01-20'), extra));
    expect(await a.history(patientId)).toHaveLength(0);
  });
});

describe('R2 interval', () => {
  it('refuses 13 days after an injection and accepts 14', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    await a.booked(patientId, episodeId, '2027-03-01');
    const body = expectViolation(await a.book(patientId, episodeId, nyMorning('2027-03-14')), 'R2_INJECTION_INTERVAL', '2027-03-15');
    expect(body.code).toBe('INJECTION.INTERVAL_TOO_SHORT');
    expect(body.violations[0].message).toContain('2027-03-01');
    expect((await a.book(patientId, episodeId, nyMorning('2027-03-15'))).status).toBe(201);
  });

  it('refuses 13 days before an injection and accepts 14', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    await a.booked(patientId, episodeId, '2027-04-01');
    // The earliest date on or after 03-19 must clear 04-01 in the forward direction: 04-15.
    expectViolation(await a.book(patientId, episodeId, nyMorning('2027-03-19')), 'R2_INJECTION_INTERVAL', '2027-04-15');
    expect((await a.book(patientId, episodeId, nyMorning('2027-03-18'))).status).toBe(201);
  });

  it('refuses the same day, whatever the time', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    await a.booked(patientId, episodeId, '2027-05-03');
    expectViolation(await a.book(patientId, episodeId, nyMorning('2027-05-03', '16:30')), 'R2_INJECTION_INTERVAL', '2027-05-17');
  });

  it('admits a date between two bookings only when it clears both (28-day gap)', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    await a.booked(patientId, episodeId, '2027-03-01');
    await a.booked(patientId, episodeId, '2027-03-29');
    expectViolation(await a.book(patientId, episodeId, nyMorning('2027-03-14')), 'R2_INJECTION_INTERVAL', '2027-03-15');
    expectViolation(await a.book(patientId, episodeId, nyMorning('2027-03-16')), 'R2_INJECTION_INTERVAL', '2027-04-12');
    expect((await a.book(patientId, episodeId, nyMorning('2027-03-15'))).status).toBe(201);
  });

  it('sends a request inside a 27-day gap past the later booking, and that date books', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    await a.booked(patientId, episodeId, '2027-03-01');
    await a.booked(patientId, episodeId, '2027-03-28');
    // 03-15 clears 03-01 but is 13 days before 03-28.
    const body = expectViolation(await a.book(patientId, episodeId, nyMorning('2027-03-15')), 'R2_INJECTION_INTERVAL', '2027-04-11');
    expect(body.violations[0].message).toContain('2027-03-28');
    expect((await a.book(patientId, episodeId, nyMorning(body.violations[0].earliestEligibleDate))).status).toBe(201);
  });

  it('gives an earliest date past a chain of bookings and through R1 at once, and it books', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    for (const d of ['2027-03-01', '2027-03-15', '2027-03-29']) await a.booked(patientId, episodeId, d);
    const body = expectViolation(await a.book(patientId, episodeId, nyMorning('2027-03-10')), 'R2_INJECTION_INTERVAL', '2027-04-12');
    expect((await a.book(patientId, episodeId, nyMorning(body.violations[0].earliestEligibleDate))).status).toBe(201);

    // Not exempt, and an injection on day 45: a request on day 37 breaks R1 and R2 and the answer clears both.
    const other = await a.patientWithEpisode();
    await a.booked(other.patientId, other.episodeId, '2027-02-18');
    const both = expectProblem(await a.book(other.patientId, other.episodeId, nyMorning('2027-02-10')), 422);
    expect(both.violations.map((v: { rule: string }) => v.rule).sort()).toEqual(['R1_CONSERVATIVE_TRIAL', 'R2_INJECTION_INTERVAL']);
    for (const v of both.violations) expect(v.earliestEligibleDate).toBe('2027-03-04');
    expect((await a.book(other.patientId, other.episodeId, nyMorning('2027-03-04'))).status).toBe(201);
  });

  it('does not compare different patients', async () => {
    const p1 = await a.exemptPatient();
    const p2 = await a.exemptPatient();
    await a.booked(p1.patientId, p1.episodeId, '2027-06-01');
    expect((await a.book(p2.patientId, p2.episodeId, nyMorning('2027-06-01'))).status).toBe(201);
  });
});

describe('R3 episode', () => {
  it('refuses a closed episode with R3 and no earliest date', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    expect((await a.call('POST', `/v1/episodes/${episodeId}/close`, { reason: 'resolved' })).status).toBe(200);
    const body = expectViolation(await a.book(patientId, episodeId, nyMorning('2027-03-01')), 'R3_EPISODE', null);
    expect(body.code).toBe('INJECTION.RULE_VIOLATION');
    expect(body.violations[0].message).toMatch(/closed/);
  });

  it("refuses another patient's episode", async () => {
    const mine = await a.exemptPatient();
    const theirs = await a.exemptPatient();
    const body = expectViolation(await a.book(mine.patientId, theirs.episodeId, nyMorning('2027-03-01')), 'R3_EPISODE', null);
    expect(body.violations[0].message).toMatch(/different patient/);
    expect(await a.history(mine.patientId)).toHaveLength(0);
    expect(await a.history(theirs.patientId)).toHaveLength(0);
  });

  it('refuses an episode id that does not exist, saying so', async () => {
    const { patientId } = await a.exemptPatient();
    const body = expectViolation(
      await a.book(patientId, '00000000-0000-4000-8000-000000000000', nyMorning('2027-03-01')),
      'R3_EPISODE',
      null,
    );
    // The patient does have an open episode; the message must not claim otherwise.
    expect(body.violations[0].message).toMatch(/not found|does not exist/i);
  });

  it('answers 404 for an unknown patient', async () => {
    const { episodeId } = await a.exemptPatient();
    expectProblem(await a.book('00000000-0000-4000-8000-000000000000', episodeId, nyMorning('2027-03-01')), 404, 'PATIENT.NOT_FOUND');
  });
});
