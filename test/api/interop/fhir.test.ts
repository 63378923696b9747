// The FHIR R4 read API through the real app: a patient given every kind of history through the public
// API (a closed cervical episode, a lumbar one with two-level, caudal and interlaminar sessions, outcomes
// with and without a percentage, a cancellation, a no-show, a future booking); every resource and Bundle
// the API answers passes both outside validators; paging, refusals, errors, roles and audit.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestApp, factories, type TestApp } from '../../helpers/app.ts';
import { fhirValidationFailures } from '../../helpers/fhir-validators.ts';
import { keysByRole, sqlClient, type IssuedKey, type RoleName } from '../access/support.ts';

const PUBLIC_URL = 'https://esi.clinic.example';
const BASE = `${PUBLIC_URL}/fhir/R4`;
const TYPES = ['EpisodeOfCare', 'Condition', 'Appointment', 'Procedure', 'Observation'] as const;
let t: TestApp;
let f: ReturnType<typeof factories>;
let keys: Record<RoleName, IssuedKey>;
let sql: pg.Client;
let patientId: string;
let mrn: string;
const answered: unknown[] = [];

async function ok(
  method: 'POST' | 'PUT' | 'PATCH',
  url: string,
  payload: unknown,
  status = method === 'POST' && !url.includes('/injections/') ? 201 : 200,
) {
  const r = await f.call(method, url, payload);
  if (r.status !== status) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

async function fhir(path: string, key: string = keys.auditor.key) {
  const res = await t.app.inject({ method: 'GET', url: `/fhir/R4${path}`, headers: auth(key) });
  const body = res.json();
  answered.push(body);
  return { status: res.statusCode, body, headers: res.headers };
}

beforeAll(async () => {
  t = await createTestApp({ now: '2027-06-01T16:00:00Z', env: { PUBLIC_URL } });
  f = factories(t.app);
  keys = await keysByRole(t.app);
  sql = await sqlClient(t);
  const p = await f.patient({ phone: '+1 555 0100', email: 'pat@example.org' });
  patientId = p.id;
  mrn = p.mrn;
  const book = async (episodeId: string, scheduledAt: string, anatomy: Record<string, unknown>) =>
    ok('POST', '/v1/injections', { patientId, episodeId, scheduledAt, ...anatomy }, 201);
  const complete = (id: string, performedAt: string) => ok('POST', `/v1/injections/${id}/complete`, { performedAt });

  // A closed cervical episode with one interlaminar injection and its outcome.
  const cervical = await ok('POST', `/v1/patients/${patientId}/episodes`, {
    region: 'cervical',
    diagnosis: 'C6 radiculopathy',
    conservativeCareStartedOn: '2026-01-05',
    therapies: ['medication'],
    severity: 'severe',
    neurologicalSigns: ['weakness'],
  });
  const c1 = await book(cervical.id, '2026-03-02T10:00:00-05:00', { levels: ['C6-C7'], approach: 'interlaminar', side: 'midline' });
  await complete(c1.id, '2026-03-02T10:20:00-05:00');
  await ok('PUT', `/v1/injections/${c1.id}/outcome`, { painBefore: 7, painAfter: 2, assessedOn: '2026-03-20', reliefLastedDays: 90 });
  await ok('POST', `/v1/episodes/${cervical.id}/close`, { reason: 'Resolved' }, 200);

  // An open lumbar episode: two-level transforaminal, caudal, a cancellation, a no-show, interlaminar, a future booking.
  const lumbar = await ok('POST', `/v1/patients/${patientId}/episodes`, {
    region: 'lumbar',
    diagnosis: 'L5 radiculopathy',
    conservativeCareStartedOn: '2027-01-04',
    therapies: ['physical_therapy'],
    severity: 'moderate',
    neurologicalSigns: ['numbness'],
  });
  const l1 = await book(lumbar.id, '2027-02-16T09:00:00-05:00', {
    levels: ['L4-L5', 'L5-S1'],
    approach: 'transforaminal',
    side: 'bilateral',
  });
  await complete(l1.id, '2027-02-16T09:25:00-05:00');
  await ok('PUT', `/v1/injections/${l1.id}/outcome`, { painBefore: 0, painAfter: 0, assessedOn: '2027-03-02' });
  const l2 = await book(lumbar.id, '2027-03-02T09:00:00-05:00', { levels: [], approach: 'caudal', side: 'midline' });
  await complete(l2.id, '2027-03-02T09:10:00-05:00');
  await ok('PUT', `/v1/injections/${l2.id}/outcome`, { painBefore: 5, painAfter: 6, assessedOn: '2027-03-20', reliefLastedDays: 0 });
  await ok('POST', `/v1/episodes/${lumbar.id}/consultations`, { allowInjections: 6, note: 'Partial response; continue' });
  const l3 = await book(lumbar.id, '2027-03-20T09:00:00-04:00', { levels: ['L5-S1'], approach: 'transforaminal', side: 'left' });
  await ok('POST', `/v1/injections/${l3.id}/cancel`, { reason: 'Patient unwell' });
  const l4 = await book(lumbar.id, '2027-03-21T09:00:00-04:00', { levels: ['L5-S1'], approach: 'transforaminal', side: 'right' });
  await ok('POST', `/v1/injections/${l4.id}/no-show`, {});
  const l5 = await book(lumbar.id, '2027-04-01T09:00:00-04:00', { levels: ['L4-L5'], approach: 'interlaminar', side: 'midline' });
  await complete(l5.id, '2027-04-01T09:15:00-04:00');
  await ok('PUT', `/v1/injections/${l5.id}/outcome`, {
    painBefore: 8,
    painAfter: 2,
    percentImprovement: 70,
    assessedOn: '2027-04-15',
    reliefLastedDays: 60,
  });
  await book(lumbar.id, '2027-06-20T09:00:00-04:00', { levels: ['L3-L4'], approach: 'transforaminal', side: 'right' });
});
afterAll(async () => {
  await sql.end();
  await t.close();
});

const entries = (bundle: any) => ((bundle.entry ?? []) as { resource: any }[]).map((e) => e.resource);

describe('the record as FHIR', () => {
  it('answers every search of the patient in application/fhir+json, no-store, with each kind of resource', async () => {
    const found = Object.fromEntries(
      await Promise.all(TYPES.map(async (type) => [type, await fhir(`/${type}?patient=${patientId}`)] as const)),
    );
    for (const type of TYPES) {
      expect({ type, status: found[type]!.status }).toEqual({ type, status: 200 });
      expect(found[type]!.headers['content-type']).toMatch(/^application\/fhir\+json/);
      expect(found[type]!.headers['cache-control']).toBe('no-store');
      expect(found[type]!.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    }
    expect(entries(found.EpisodeOfCare!.body).map((e) => e.status)).toEqual(['finished', 'active']);
    expect(entries(found.Condition!.body).map((c) => c.code.text)).toEqual(['C6 radiculopathy', 'L5 radiculopathy']);
    const appointments = entries(found.Appointment!.body);
    expect(appointments.map((a) => a.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'cancelled',
      'noshow',
      'fulfilled',
      'booked',
    ]);
    expect(appointments[1].serviceType.map((s: any) => s.coding[0].code)).toEqual(['64483', '64484']);
    expect(appointments[2].serviceType.map((s: any) => s.coding[0].code)).toEqual(['62323']);
    expect(appointments[0].serviceType.map((s: any) => s.coding[0].code)).toEqual(['62321']);
    const procedures = entries(found.Procedure!.body);
    expect(procedures.map((p) => p.code.coding[0].code)).toEqual(['62321', '64483', '62323', '62323']);
    expect(procedures[1].code.text).toMatch(/64483 \+ 64484/);
    expect(procedures[1].bodySite.map((b: any) => b.coding[0].code)).toEqual(['122496007', '51440002']);
    expect(procedures[1].performedDateTime).toBe('2027-02-16T14:25:00.000Z');
    const observations = entries(found.Observation!.body);
    expect(observations).toHaveLength(12);
    const painScores = observations.filter((o) => o.code.coding[0].code === '72514-3');
    expect(painScores.map((o) => o.valueInteger)).toEqual([7, 2, 0, 0, 5, 6, 8, 2]);
    const improvements = observations.filter((o) => o.code.coding[0].code === 'pain-improvement-percent');
    expect(improvements.map((o) => o.valueQuantity?.value ?? null)).toEqual([71, null, 0, 70]);
  });

  it('reads the Patient by id and by MRN', async () => {
    const read = await fhir(`/Patient/${patientId}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ resourceType: 'Patient', id: patientId, identifier: [{ value: mrn }] });
    const byMrn = await fhir(`/Patient?identifier=${encodeURIComponent(mrn)}`);
    expect(byMrn.body.total).toBe(1);
    expect(entries(byMrn.body)[0].id).toBe(patientId);
    const withSystem = await fhir(`/Patient?identifier=${encodeURIComponent(`urn:esi-scheduler:mrn|${mrn}`)}`);
    expect(withSystem.body.total).toBe(1);
    const otherSystem = await fhir(`/Patient?identifier=${encodeURIComponent(`http://other.example/mrn|${mrn}`)}`);
    expect(otherSystem.body).toMatchObject({ total: 0 });
    expect(otherSystem.body).not.toHaveProperty('entry');
  });

  it('pages with _count through next links to exactly the whole result', async () => {
    const whole = await fhir(`/Observation?patient=${patientId}`);
    let page = await fhir(`/Observation?patient=Patient/${patientId}&_count=5`);
    const seen: string[] = [];
    let pages = 0;
    for (;;) {
      pages += 1;
      expect(page.body.total).toBe(12);
      seen.push(...entries(page.body).map((r) => r.id as string));
      const next = (page.body.link as { relation: string; url: string }[]).find((l) => l.relation === 'next');
      if (!next) break;
      expect(next.url.startsWith(`${BASE}/Observation?`)).toBe(true);
      page = await fhir(next.url.slice(BASE.length));
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(entries(whole.body).map((r) => r.id));
    const countOnly = await fhir(`/Appointment?patient=${patientId}&_count=0`);
    expect(countOnly.body).toMatchObject({ total: 7 });
    expect(countOnly.body).not.toHaveProperty('entry');
  });
});

describe('refusals and errors, each an OperationOutcome', () => {
  it.each([
    ['an unsupported parameter', `/Appointment?patient=PID&status=booked`, 'not-supported'],
    ['a modifier', `/Appointment?patient:missing=false`, 'not-supported'],
    ['no filter at all', `/Observation`, 'invalid'],
    ['a filter of another type', `/Procedure?identifier=X`, 'not-supported'],
    ['a bad _count', `/Condition?patient=PID&_count=1000`, 'invalid'],
    ['a repeated filter', `/Condition?patient=PID&patient=PID`, 'invalid'],
    ['an unsupported _format', `/Condition?patient=PID&_format=xml`, 'not-supported'],
  ])('%s is 400, never a silently unfiltered or empty bundle', async (_name, path, code) => {
    const res = await fhir(path.replaceAll('PID', patientId));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0]).toMatchObject({ severity: 'error', code });
  });

  it('an unknown patient: a read is 404, a search an empty bundle', async () => {
    const missing = await fhir('/Patient/9d7c3b8e-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
    const none = await fhir('/Appointment?patient=9d7c3b8e-0000-4000-8000-000000000000');
    expect(none.body).toMatchObject({ resourceType: 'Bundle', total: 0 });
  });

  it('no key: 401 OperationOutcome; the CapabilityStatement needs none', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/fhir/R4/Patient/${patientId}` });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'login' }] });
    expect((await t.app.inject({ method: 'GET', url: '/fhir/R4/metadata' })).statusCode).toBe(200);
  });
});

describe('audit', () => {
  it('writes one audit row per read of the patient, under the calling key', async () => {
    const res = await fhir(`/Procedure?patient=${patientId}`, keys.front_desk.key);
    const rows = await sql.query('SELECT action, "patientId", "actorId", "actorRole" FROM audit_events WHERE "requestId" = $1', [
      res.headers['x-request-id'],
    ]);
    expect(rows.rows).toEqual([{ action: 'fhir.procedure.search', patientId, actorId: keys.front_desk.id, actorRole: 'front_desk' }]);
    const read = await fhir(`/Patient/${patientId}`, keys.clinician.key);
    const readRows = await sql.query('SELECT action FROM audit_events WHERE "requestId" = $1', [read.headers['x-request-id']]);
    expect(readRows.rows).toEqual([{ action: 'fhir.patient.read' }]);
  });
});

describe('the outside validators', () => {
  it('every resource, Bundle and OperationOutcome answered in this file passes Medplum and the official JSON schema with zero errors', async () => {
    const metadata = await fhir('/metadata');
    expect(metadata.body).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', kind: 'instance' });
    const resources = answered.flatMap((b: any) => [b, ...entries(b)]);
    expect(resources.length).toBeGreaterThan(40);
    expect(fhirValidationFailures(resources)).toEqual([]);
  }, 120_000);
});
