// A patient's payer coverage (SPEC §5) through the API, and GET /v1/policies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, uniqueMrn, type TestApp } from '../../helpers/app.ts';
import { keysByRole } from '../access/support.ts';
import { api, expectProblem, expectValidation } from '../scheduling/support.ts';

let t: TestApp;
let a: ReturnType<typeof api>;
beforeAll(async () => {
  t = await createTestApp({ now: '2027-06-15T16:00:00Z' });
  a = api(t);
});
afterAll(async () => t.close());

const MEDICARE = { payer: 'Medicare Part B', policyId: 'medicare-lcd-esi-example', memberId: '1EG4-TE5-MK72' };
const demographics = () => ({ mrn: uniqueMrn(), givenName: 'Ada', familyName: 'Payer', birthDate: '1950-03-02' });

describe('a patient’s coverage', () => {
  it('defaults to clinic-only without a payer', async () => {
    const r = await a.call('POST', '/v1/patients', demographics());
    expect(r.status).toBe(201);
    expect(r.body.coverage).toEqual({ payer: null, policyId: 'clinic-only', memberId: null });
  });

  it('is stored on create and shown by the detail and the list', async () => {
    const body = { ...demographics(), coverage: MEDICARE };
    const r = await a.call('POST', '/v1/patients', body);
    expect(r.status).toBe(201);
    expect(r.body.coverage).toEqual(MEDICARE);
    expect((await a.call('GET', `/v1/patients/${r.body.id}`)).body.coverage).toEqual(MEDICARE);
    const list = await a.call('GET', `/v1/patients?q=${body.mrn}`);
    expect(list.body.items).toEqual([expect.objectContaining({ id: r.body.id, coverage: MEDICARE })]);
  });

  it('is changed by PATCH, memberId optional, and null returns the patient to clinic-only', async () => {
    const p = await a.patient();
    const changed = await a.call('PATCH', `/v1/patients/${p.id}`, {
      coverage: { payer: 'Acme Health', policyId: 'commercial-esi-example' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.coverage).toEqual({ payer: 'Acme Health', policyId: 'commercial-esi-example', memberId: null });
    expect((await a.call('GET', `/v1/patients/${p.id}`)).body.coverage.policyId).toBe('commercial-esi-example');
    const cleared = await a.call('PATCH', `/v1/patients/${p.id}`, { coverage: null });
    expect(cleared.body.coverage).toEqual({ payer: null, policyId: 'clinic-only', memberId: null });
    // A demographic edit leaves the coverage alone.
    await a.call('PATCH', `/v1/patients/${p.id}`, { coverage: MEDICARE });
    expect((await a.call('PATCH', `/v1/patients/${p.id}`, { givenName: 'Grace' })).body.coverage).toEqual(MEDICARE);
  });

  it('refuses an unknown policy with 400 naming the field, storing nothing', async () => {
    const body = { ...demographics(), coverage: { ...MEDICARE, policyId: 'no-such-policy' } };
    expectValidation(await a.call('POST', '/v1/patients', body), 'body.coverage.policyId');
    expect((await a.call('GET', `/v1/patients?q=${body.mrn}`)).body.items).toEqual([]);
    const p = await a.patient({ coverage: MEDICARE });
    expectValidation(
      await a.call('PATCH', `/v1/patients/${p.id}`, { coverage: { payer: 'X', policyId: 'no-such-policy' } }),
      'coverage.policyId',
    );
    expect((await a.call('GET', `/v1/patients/${p.id}`)).body.coverage).toEqual(MEDICARE);
  });

  it.each([
    ['no payer', { policyId: 'clinic-only' }, 'coverage.payer'],
    ['a blank payer', { payer: ' ', policyId: 'clinic-only' }, 'coverage.payer'],
    ['no policy', { payer: 'Acme' }, 'coverage.policyId'],
    ['a member id with symbols', { ...MEDICARE, memberId: '<script>' }, 'coverage.memberId'],
    ['a member id over 40 characters', { ...MEDICARE, memberId: 'M'.repeat(41) }, 'coverage.memberId'],
    ['an unknown field', { ...MEDICARE, plan: 'gold' }, 'coverage'],
  ])('refuses %s with 400', async (_what, coverage, path) => {
    expectValidation(await a.call('POST', '/v1/patients', { ...demographics(), coverage }), path);
  });

  it('is audited with the change, before and after', async () => {
    const p = await a.patient();
    await a.call('PATCH', `/v1/patients/${p.id}`, { coverage: MEDICARE });
    const events = (await a.call('GET', `/v1/audit-events?patientId=${p.id}`)).body.items as Record<string, any>[];
    const update = events.find((e) => e.action === 'patient.update');
    expect(update?.before.coverage.policyId).toBe('clinic-only');
    expect(update?.after.coverage).toEqual(MEDICARE);
  });
});

describe('GET /v1/policies', () => {
  it('lists every policy with its checks to every role', async () => {
    const keys = await keysByRole(t.app);
    for (const role of ['front_desk', 'clinician', 'auditor', 'admin'] as const) {
      const r = await t.app.inject({ method: 'GET', url: '/v1/policies', headers: { authorization: `Bearer ${keys[role].key}` } });
      expect(r.statusCode).toBe(200);
      const items = r.json().items as Record<string, any>[];
      expect(items.map((p) => p.id)).toEqual(
        expect.arrayContaining(['clinic-only', 'medicare-lcd-esi-example', 'utilization-management-esi-example', 'commercial-esi-example']),
      );
      const medicare = items.find((p) => p.id === 'medicare-lcd-esi-example');
      expect(medicare).toMatchObject({
        version: 1,
        effectiveFrom: '2022-06-19',
        inEffect: true,
        source: expect.stringContaining('L39240'),
        name: expect.stringMatching(/example/i),
      });
      expect(medicare?.checks).toContainEqual({ code: 'C_MAX_PER_REGION', count: 4, windowDays: 365 });
    }
  });

  it('needs a key', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/v1/policies' });
    expectProblem({ status: r.statusCode, body: r.json(), headers: r.headers }, 401);
  });
});
