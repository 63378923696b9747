// The CDS Hooks appointment-book service through the real app, played as an EHR would: discovery, a
// proposed ESI too close to the last injection, the suggested move applied, and the edges (Bundle or
// array, id or MRN, unknown patient, non-ESI appointments, malformed requests, audit, roles).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CdsDiscovery, CdsResponse } from '../../../src/modules/cds-hooks/cds-hooks.schemas.ts';
import { auth, createTestApp, factories, type TestApp } from '../../helpers/app.ts';
import { keysByRole, sqlClient, type IssuedKey, type RoleName } from '../access/support.ts';

const PUBLIC_URL = 'https://esi.clinic.example';
const SERVICE = '/cds-services/esi-appointment-check';
let t: TestApp;
let f: ReturnType<typeof factories>;
let keys: Record<RoleName, IssuedKey>;
let sql: pg.Client;

const specRequest = JSON.parse(
  readFileSync(new URL('../../fixtures/cds-hooks/calling-example-request.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

beforeAll(async () => {
  t = await createTestApp({ now: '2027-03-02T15:00:00Z', env: { PUBLIC_URL } });
  f = factories(t.app);
  keys = await keysByRole(t.app);
  sql = await sqlClient(t);
});
afterAll(async () => {
  await sql.end();
  await t.close();
});

const esiAppointment = (start: string, extra: Record<string, unknown> = {}) => ({
  resourceType: 'Appointment',
  id: 'apt-esi-1',
  status: 'proposed',
  serviceType: [{ coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '64483', display: 'TFESI lumbar, single level' }] }],
  start,
  end: start.replace(/T(\d{2}):00/, (_m, h: string) => `T${h}:30`),
  participant: [{ actor: { reference: 'Patient/ehr-123' }, required: 'required', status: 'tentative' }],
  ...extra,
});

/** The specification's example request with the appointment-book hook and context. */
const hookRequest = (patientId: string, appointments: unknown) => ({
  ...specRequest,
  hook: 'appointment-book',
  hookInstance: randomUUID(),
  context: { userId: 'PractitionerRole/A2340113', patientId, appointments },
});

async function call(body: unknown, key: string = keys.front_desk.key) {
  const res = await t.app.inject({ method: 'POST', url: SERVICE, headers: auth(key), payload: body as object });
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}

/** A patient whose last injection was given on 2027-03-01 at 09:00 clinic time. */
async function patientWithInjection() {
  const { patientId, episodeId } = await f.patientWithEpisode();
  const booked = await f.book(patientId, episodeId, '2027-03-01T09:00:00-05:00');
  expect(booked.status).toBe(201);
  const done = await f.call('POST', `/v1/injections/${booked.body.id}/complete`, { performedAt: '2027-03-01T09:20:00-05:00' });
  expect(done.status).toBe(200);
  const patient = await f.call('GET', `/v1/patients/${patientId}`);
  return { patientId, episodeId, mrn: patient.body.mrn as string };
}

describe('playing the EHR', () => {
  it('discovers the service, is warned of an ESI 8 days after the last one, applies the suggested move and is then cleared', async () => {
    const discovery = await t.app.inject({ method: 'GET', url: '/cds-services' });
    expect(discovery.statusCode).toBe(200);
    const services = CdsDiscovery.parse(discovery.json()).services;
    expect(services.map((s) => [s.id, s.hook])).toEqual([['esi-appointment-check', 'appointment-book']]);

    const { patientId } = await patientWithInjection();
    const proposed = esiAppointment('2027-03-09T10:00:00-05:00');
    const first = await call(hookRequest(patientId, { resourceType: 'Bundle', type: 'collection', entry: [{ resource: proposed }] }));
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    const cards = CdsResponse.parse(first.body).cards;
    const critical = cards.filter((c) => c.indicator === 'critical');
    expect(critical).toHaveLength(1);
    const card = critical[0]!;
    expect(card.summary).toMatch(/R2/);
    expect(card.summary).toMatch(/2027-03-15/);
    expect(card.source.label).toBe('ESI Scheduler');
    expect(card.links).toEqual([{ label: expect.any(String), url: `${PUBLIC_URL}/app/patients/${patientId}`, type: 'absolute' }]);
    const suggestion = card.suggestions?.[0];
    expect(suggestion?.isRecommended).toBe(true);
    expect(suggestion?.actions).toHaveLength(1);
    const action = suggestion!.actions![0]!;
    expect(action.type).toBe('update');
    // The whole appointment, moved to the earliest eligible date at the same clinic time (now EDT).
    expect(action.resource).toEqual({ ...proposed, start: '2027-03-15T10:00:00-04:00', end: '2027-03-15T10:30:00-04:00' });

    const second = await call(hookRequest(patientId, [action.resource]));
    expect(second.status).toBe(200);
    expect(CdsResponse.parse(second.body).cards.filter((c) => c.indicator === 'critical')).toEqual([]);
  });
});

describe('rules v2 on the card', () => {
  it('a red flag (R4) gives a critical card without a suggestion, and the urgent-review flag an info card', async () => {
    const { patientId } = await f.patientWithEpisode({ neurologicalSigns: ['bowel_bladder'] });
    const res = await call(hookRequest(patientId, [esiAppointment('2027-03-09T10:00:00-05:00')]));
    expect(res.status).toBe(200);
    const cards = CdsResponse.parse(res.body).cards;
    const critical = cards.filter((c) => c.indicator === 'critical');
    expect(critical.map((c) => c.summary.slice(0, 2))).toEqual(['R4']);
    expect(critical[0]).not.toHaveProperty('suggestions');
    expect(critical[0]!.summary).toMatch(/no eligible date/);
    expect(cards.filter((c) => c.indicator === 'info').map((c) => c.summary)).toContainEqual(
      expect.stringMatching(/^URGENT_SURGICAL_REVIEW/),
    );
  });

  it('judges exactly as GET /v1/patients/:id/eligibility does on the same clinic date', async () => {
    const { patientId } = await patientWithInjection();
    for (const start of [
      '2027-02-10T09:00:00-05:00',
      '2027-02-20T23:30:00-05:00',
      '2027-03-05T09:00:00-05:00',
      '2027-03-15T00:10:00-04:00',
    ]) {
      const date = new Date(start).toLocaleDateString('en-CA', { timeZone: 'America/New_York' });
      const eligibility = await f.call('GET', `/v1/patients/${patientId}/eligibility?on=${date}`);
      const res = await call(hookRequest(patientId, [esiAppointment(start)]));
      const critical = CdsResponse.parse(res.body).cards.filter((c) => c.indicator === 'critical');
      const rules = eligibility.body.blockers.map((b: { rule: string }) => b.rule.slice(0, 2));
      expect({ start, rules: critical.map((c) => c.summary.slice(0, 2)) }).toEqual({ start, rules });
      for (const c of critical) expect(c.summary).toContain(eligibility.body.earliestEligibleDate ?? 'no eligible date');
    }
  });

  it('a third injection without a consultation (R5) gives a critical R5 card', async () => {
    const { patientId, episodeId } = await f.patientWithEpisode({}, { allowInjections: null });
    expect((await f.book(patientId, episodeId, '2027-02-16T09:00:00-05:00')).status).toBe(201);
    expect((await f.book(patientId, episodeId, '2027-03-02T09:00:00-05:00')).status).toBe(201);
    const res = await call(hookRequest(patientId, [esiAppointment('2027-03-30T10:00:00-04:00')]));
    const critical = CdsResponse.parse(res.body).cards.filter((c) => c.indicator === 'critical');
    expect(critical.map((c) => c.summary.slice(0, 2))).toEqual(['R5']);
  });
});

describe('the request', () => {
  it('finds the patient by MRN when the id is not one of ours, and judges each ESI of several', async () => {
    const { mrn } = await patientWithInjection();
    const res = await call(
      hookRequest(mrn, [
        esiAppointment('2027-03-05T09:00:00-05:00', { id: 'a' }),
        esiAppointment('2027-03-20T09:00:00-04:00', { id: 'b' }),
        {
          ...esiAppointment('2027-03-06T09:00:00-05:00', { id: 'c' }),
          serviceType: [{ coding: [{ code: '183', display: 'Sleep Medicine' }] }],
        },
      ]),
    );
    expect(res.status).toBe(200);
    const critical = CdsResponse.parse(res.body).cards.filter((c) => c.indicator === 'critical');
    expect(critical).toHaveLength(1);
    expect(critical[0]!.suggestions![0]!.actions![0]!.resource).toMatchObject({ id: 'a', start: '2027-03-15T09:00:00-04:00' });
  });

  it('answers one info card for an unknown patient, and no card when nothing proposed is an ESI', async () => {
    const unknown = await call(hookRequest('1288992', [esiAppointment('2027-03-09T10:00:00-05:00')]));
    expect(unknown.status).toBe(200);
    expect(unknown.body.cards).toHaveLength(1);
    expect(unknown.body.cards[0]).toMatchObject({ indicator: 'info', source: { label: 'ESI Scheduler' } });

    const example = JSON.parse(
      readFileSync(new URL('../../fixtures/cds-hooks/appointment-book-context-1.json', import.meta.url), 'utf8'),
    ) as {
      context: Record<string, unknown>;
    };
    const notEsi = await call({ ...specRequest, hook: 'appointment-book', context: example.context });
    expect(notEsi.status).toBe(200);
    expect(notEsi.body).toEqual({ cards: [] });
  });

  it.each([
    ['another hook', (b: Record<string, unknown>) => ({ ...b, hook: 'patient-view' })],
    ['no hookInstance', (b: Record<string, unknown>) => ({ ...b, hookInstance: undefined })],
    ['no context', (b: Record<string, unknown>) => ({ ...b, context: undefined })],
    ['no appointments', (b: Record<string, any>) => ({ ...b, context: { ...b.context, appointments: undefined } })],
    [
      'an ESI whose start has no offset',
      (b: Record<string, any>) => ({ ...b, context: { ...b.context, appointments: [esiAppointment('2027-03-09T10:00:00')] } }),
    ],
  ])('refuses a request with %s: 400 problem+json, nothing audited', async (_name, mutate) => {
    const { patientId } = await patientWithInjection();
    const res = await t.app.inject({
      method: 'POST',
      url: SERVICE,
      headers: auth(keys.front_desk.key),
      payload: mutate(hookRequest(patientId, [esiAppointment('2027-03-09T10:00:00-05:00')])) as object,
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400, code: 'REQUEST.VALIDATION' });
    const audited = await sql.query('SELECT 1 FROM audit_events WHERE "requestId" = $1', [res.headers['x-request-id']]);
    expect(audited.rowCount).toBe(0);
  });

  it('audits the call as a read of that patient, under the calling key', async () => {
    const { patientId } = await patientWithInjection();
    const res = await call(hookRequest(patientId, [esiAppointment('2027-03-09T10:00:00-05:00')]), keys.clinician.key);
    const rows = await sql.query<{ action: string; patientId: string; actorId: string; actorRole: string }>(
      'SELECT action, "patientId", "actorId", "actorRole" FROM audit_events WHERE "requestId" = $1 ORDER BY id',
      [res.headers['x-request-id']],
    );
    expect(rows.rows.map((r) => r.action).sort()).toEqual(['cds.appointment-book', 'eligibility.read', 'patient.read']);
    for (const r of rows.rows) expect(r).toMatchObject({ patientId, actorId: keys.clinician.id, actorRole: 'clinician' });
  });

  it('needs a key (or a CDS JWT); discovery does not', async () => {
    const res = await t.app.inject({ method: 'POST', url: SERVICE, payload: hookRequest(randomUUID(), []) });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    const unknownService = await t.app.inject({ method: 'POST', url: '/cds-services/other', payload: {} });
    expect(unknownService.statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/cds-services' })).statusCode).toBe(200);
  });
});

describe('coverage warnings', () => {
  it("turns the payer's coverage issues into warning cards beside a booking the clinic's rules allow", async () => {
    // A severe episode is exempt from the six-week trial (R1), but the payer wants 28 days of care first.
    const p = await f.patient({ coverage: { payer: 'Example Medicare', policyId: 'medicare-lcd-esi-example' } });
    const e = await f.call('POST', `/v1/patients/${p.id}/episodes`, {
      region: 'lumbar',
      diagnosis: 'L5 radiculopathy',
      conservativeCareStartedOn: '2027-02-20',
      severity: 'severe',
    });
    expect(e.status).toBe(201);
    const res = await call(hookRequest(p.id, [esiAppointment('2027-03-03T10:00:00-05:00')]));
    expect(res.status).toBe(200);
    const cards = CdsResponse.parse(res.body).cards;
    expect(cards.filter((c) => c.indicator === 'critical')).toEqual([]);
    const warnings = cards.filter((c) => c.indicator === 'warning');
    expect(warnings.length).toBeGreaterThan(0);
    expect(JSON.stringify(warnings)).toContain('C_CONSERVATIVE_DAYS');
    for (const w of warnings) expect(w.summary.length).toBeLessThan(140);
  });
});
