// The error contract of the scheduling routes: every 4xx is application/problem+json with
// {type, title, status, detail, code}; 400 lists errors[{path, message}]; 422 lists violations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestApp, type TestApp } from '../../helpers/app.ts';
import { api, expectProblem, expectValidation, expectViolation, nyMorning, type Res } from './support.ts';

let t: TestApp;
let a: ReturnType<typeof api>;
beforeAll(async () => {
  t = await createTestApp({ now: '2027-06-15T16:00:00Z' });
  a = api(t);
});
afterAll(async () => t.close());

async function raw(method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: string): Promise<Res> {
  const r = await t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
  return { status: r.statusCode, body: JSON.parse(r.body), headers: r.headers };
}

describe('booking body validation', () => {
  it.each([
    ['a naive date-time', '2027-02-15T09:00:00'],
    ['a date without time', '2027-02-15'],
    ['an impossible date', '2027-02-30T09:00:00Z'],
    ['words', 'next tuesday'],
  ])('refuses scheduledAt as %s', async (_what, scheduledAt) => {
    const { patientId, episodeId } = await a.exemptPatient();
    expectValidation(await a.book(patientId, episodeId, scheduledAt), 'scheduledAt');
  });

  it('lists every missing or bad field', async () => {
    const r = await a.call('POST', '/v1/injections', { patientId: 'nope', level: 'L9-L10', approach: 'sideways' });
    expectValidation(r);
    const paths = r.body.errors.map((e: { path: string }) => e.path).join(' ');
    for (const field of ['patientId', 'episodeId', 'scheduledAt', 'approach', 'side']) expect(paths).toContain(field);
  });

  it.each([
    ['lumbar', 'L5-S1'],
    ['cervical', 'C6-C7'],
    ['cervical', 'C7-T1'],
    ['thoracic', 'T12-L1'],
  ])('accepts the %s interspace %s written as level (older clients)', async (region, level) => {
    const { patientId, episodeId } = await a.patientWithEpisode({ severity: 'severe', region });
    const r = await a.book(patientId, episodeId, nyMorning('2027-07-01'), { level });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ level, levels: [level] });
  });

  it('refuses bodies that are not JSON objects', async () => {
    expectProblem(
      await raw('POST', '/v1/injections', { ...auth(), 'content-type': 'application/json' }, '{"patientId":'),
      400,
      'REQUEST.MALFORMED_JSON',
    );
    expectProblem(
      await raw('POST', '/v1/injections', { ...auth(), 'content-type': 'application/xml' }, '<a/>'),
      415,
      'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    );
    expectValidation(await a.call('POST', '/v1/injections', [1, 2, 3]));
  });
});

describe('problem documents for every kind of refusal', () => {
  it('401 without a key, 403 for a role that may not act', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const body = { patientId, episodeId, scheduledAt: nyMorning('2027-09-06'), approach: 'caudal', side: 'midline' };
    expectProblem(
      await raw('POST', '/v1/injections', { 'content-type': 'application/json' }, JSON.stringify(body)),
      401,
      'AUTH.UNAUTHENTICATED',
    );

    const auditor = await a.apiKey('auditor');
    expectProblem(
      await raw('POST', '/v1/injections', { ...auth(auditor.key), 'content-type': 'application/json' }, JSON.stringify(body)),
      403,
      'AUTH.FORBIDDEN',
    );

    const desk = await a.apiKey('front_desk');
    const booked = await raw('POST', '/v1/injections', { ...auth(desk.key), 'content-type': 'application/json' }, JSON.stringify(body));
    expect(booked.status).toBe(201);
    const complete = JSON.stringify({ performedAt: '2027-06-15T12:00:00Z' });
    expectProblem(
      await raw('POST', `/v1/injections/${booked.body.id}/complete`, { ...auth(desk.key), 'content-type': 'application/json' }, complete),
      403,
      'AUTH.FORBIDDEN',
    );
    expectProblem(
      await raw('POST', `/v1/patients/${patientId}/episodes`, { ...auth(desk.key), 'content-type': 'application/json' }, '{}'),
      403,
      'AUTH.FORBIDDEN',
    );
  });

  it('404 for an unknown route and unknown records', async () => {
    expectProblem(await a.call('GET', '/v1/nowhere'), 404, 'ROUTE.NOT_FOUND');
    expectProblem(await a.cancel('00000000-0000-4000-8000-000000000000'), 404, 'INJECTION.NOT_FOUND');
    expectProblem(
      await a.call('POST', '/v1/episodes/00000000-0000-4000-8000-000000000000/close', { reason: 'x' }),
      404,
      'EPISODE.NOT_FOUND',
    );
  });

  it('400 for malformed ids on injection and episode routes', async () => {
    expectValidation(await a.cancel('42'), 'params');
    expectValidation(await a.call('PATCH', '/v1/episodes/abc', { severity: 'severe' }), 'params');
  });

  it('409 and 422 carry the same five members, 422 with violations', async () => {
    const { patientId, episodeId } = await a.patientWithEpisode();
    expectProblem(
      await a.call('POST', `/v1/patients/${patientId}/episodes`, {
        region: 'lumbar',
        diagnosis: 'x',
        conservativeCareStartedOn: '2027-01-04',
        severity: 'mild',
      }),
      409,
    );
    const body = expectViolation(await a.book(patientId, episodeId, nyMorning('2027-01-31')), 'R1_CONSERVATIVE_TRIAL', '2027-02-15');
    expect(body.violations[0]).toEqual({ rule: 'R1_CONSERVATIVE_TRIAL', message: expect.any(String), earliestEligibleDate: '2027-02-15' });
    expect(body.type).toMatch(/^https?:\/\//);
    expect(body.title).toBe('Unprocessable Content');
  });

  it('400 for cancel without a reason and for a non-ISO performedAt', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const inj = await a.booked(patientId, episodeId, '2027-06-01');
    expectValidation(await a.call('POST', `/v1/injections/${inj.id}/cancel`, {}), 'reason');
    expectValidation(await a.call('POST', `/v1/injections/${inj.id}/cancel`, { reason: '   ' }), 'reason');
    expectValidation(await a.complete(inj.id, 'yesterday'), 'performedAt');
    expectValidation(await a.call('POST', `/v1/injections/${inj.id}/reschedule`, { scheduledAt: nyMorning('2027-06-02'), episodeId }));
  });
});
