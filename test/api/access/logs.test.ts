// Logs at the most verbose level through a whole booking flow, its errors and a malformed HTTP request:
// no name, birth date, phone, email or key may appear anywhere in them, yet they still say what happened.
import { connect } from 'node:net';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgLogLine } from '../../../src/logger.ts';
import { ADMIN_KEY, createTestApp, factories, uniqueMrn, type TestApp } from '../../helpers/app.ts';
import { keysByRole, sqlClient, type IssuedKey, type RoleName } from './support.ts';

const PORT = 3251;
const GIVEN = 'Quentinella';
const FAMILY = 'Zarathustrova';
const BIRTH = '1958-11-29';
const PHONE = '+1 555 0177';
const EMAIL = 'qz.private@example.org';
const MEMBER_ID = 'QZM-88412-77';

let t: TestApp;
let sql: pg.Client;
let keys: Record<RoleName, IssuedKey>;

beforeAll(async () => {
  t = await createTestApp({ logLevel: 'trace', now: '2027-06-01T16:00:00Z' });
  sql = await sqlClient(t);
  keys = await keysByRole(t.app);
});
afterAll(async () => {
  await sql.end();
  await t.close();
});

/** Sends raw bytes over a socket (what app.inject cannot do) and resolves when the server hangs up. */
function rawRequest(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(PORT, '127.0.0.1', () => socket.end(bytes));
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

async function fullFlow() {
  const desk = factories(t.app, keys.front_desk.key);
  const doc = factories(t.app, keys.clinician.key);
  const admin = factories(t.app);
  const coverage = { payer: 'Acme Health', policyId: 'commercial-esi-example', memberId: MEMBER_ID };
  const demographics = { mrn: uniqueMrn(), givenName: GIVEN, familyName: FAMILY, birthDate: BIRTH, phone: PHONE, email: EMAIL, coverage };
  const created = await t.app.inject({
    method: 'POST',
    url: '/v1/patients',
    headers: { authorization: `Bearer ${keys.front_desk.key}`, 'idempotency-key': `create-${FAMILY}` },
    payload: demographics,
  });
  expect(created.statusCode).toBe(201);
  const pid: string = created.json().id;
  expect((await desk.call('POST', '/v1/patients', demographics)).status).toBe(409);
  expect((await desk.call('GET', `/v1/patients?q=${encodeURIComponent(`${GIVEN} ${FAMILY}`)}`)).body.items).toHaveLength(1);
  expect((await desk.call('GET', `/v1/patients?q=${FAMILY.toLowerCase()}&limit=5`)).status).toBe(200);
  expect((await desk.call('GET', `/v1/patients/${FAMILY}`)).status).toBe(400);
  expect((await desk.call('GET', `/v1/${GIVEN}/${BIRTH}`)).status).toBe(404);
  expect((await desk.call('GET', `/v1/patients?${FAMILY}=${EMAIL}`)).status).toBe(200);
  expect((await desk.call('PATCH', `/v1/patients/${pid}`, { phone: `${PHONE} ext ${FAMILY}` })).status).toBe(400);
  expect((await desk.call('PATCH', `/v1/patients/${pid}`, { coverage: { ...coverage, policyId: 'unknown-plan' } })).status).toBe(400);
  expect((await desk.call('PATCH', `/v1/patients/${pid}`, { coverage })).status).toBe(200);
  expect((await desk.call('PATCH', `/v1/patients/${pid}`, { email: `${GIVEN}@@${FAMILY}`, [FAMILY]: BIRTH })).status).toBe(400);
  expect((await desk.call('POST', '/v1/patients', { ...demographics, mrn: uniqueMrn(), birthDate: '2999-01-01' })).status).toBe(400);
  const malformed = await t.app.inject({
    method: 'POST',
    url: '/v1/patients',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    payload: `{"givenName": "${GIVEN}", "email": "${EMAIL}"`,
  });
  expect(malformed.statusCode).toBe(400);
  expect((await t.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${ADMIN_KEY}x` } })).statusCode).toBe(401);

  const episode = await doc.call('POST', `/v1/patients/${pid}/episodes`, {
    region: 'lumbar',
    diagnosis: 'L5 radiculopathy',
    conservativeCareStartedOn: '2027-01-04',
    therapies: ['medication'],
    severity: 'moderate',
    neurologicalSigns: [],
  });
  const eid: string = episode.body.id;
  expect((await desk.call('GET', `/v1/patients/${pid}/eligibility?on=2027-02-01`)).body.eligible).toBe(false);
  const early = await desk.book(pid, eid, '2027-02-01T15:00:00Z');
  expect(early.status).toBe(422);
  const booked = await desk.book(pid, eid, '2027-03-01T15:00:00Z');
  expect(booked.status).toBe(201);
  const iid: string = booked.body.id;
  expect((await desk.call('POST', `/v1/injections/${iid}/reschedule`, { scheduledAt: '2027-03-02T15:00:00Z' })).status).toBe(200);
  expect((await desk.call('POST', `/v1/injections/${iid}/reschedule`, { scheduledAt: '2027-03-02T10:00:00' })).status).toBe(400);
  expect((await doc.call('POST', `/v1/injections/${iid}/complete`, { performedAt: '2027-03-02T15:20:00Z' })).status).toBe(200);
  expect((await doc.call('PUT', `/v1/injections/${iid}/outcome`, { painBefore: 7, painAfter: 2, assessedOn: '2027-03-16' })).status).toBe(
    200,
  );
  expect((await desk.call('GET', `/v1/patients/${pid}`)).body.familyName).toBe(FAMILY);
  expect((await desk.call('GET', `/v1/patients/${pid}/injections`)).status).toBe(200);
  expect((await desk.call('GET', '/v1/schedule?date=2027-03-02')).body.items[0].patient.familyName).toBe(FAMILY);
  expect((await admin.call('GET', `/v1/audit-events?patientId=${pid}`)).status).toBe(200);
  return pid;
}

describe('logs at trace level', () => {
  it('carry no PHI and no key through a booking flow, its errors, a database failure and a malformed request', async () => {
    await fullFlow();
    // A database error whose own message quotes the patient's name.
    await sql.query(`CREATE FUNCTION quote_name() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refusing patient % % born %', NEW."givenName", NEW."familyName", NEW."birthDate" USING ERRCODE = 'XX000'; END $$`);
    await sql.query('CREATE TRIGGER quote_name BEFORE INSERT ON patients FOR EACH ROW EXECUTE FUNCTION quote_name()');
    try {
      const failed = await factories(t.app).call('POST', '/v1/patients', {
        mrn: uniqueMrn(),
        givenName: GIVEN,
        familyName: FAMILY,
        birthDate: BIRTH,
        email: EMAIL,
      });
      expect(failed.status).toBe(500);
      expect(JSON.stringify(failed.body)).not.toContain(GIVEN);
    } finally {
      await sql.query('DROP TRIGGER quote_name ON patients');
      await sql.query('DROP FUNCTION quote_name()');
    }
    // A request Node's HTTP parser rejects: Fastify logs the parser error, whose rawPacket holds every byte.
    await t.app.listen({ port: PORT, host: '127.0.0.1' });
    const answer = await rawRequest(
      `POST /v1/patients?q=${FAMILY} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ADMIN_KEY}\r\nContent-Length: ${GIVEN}\r\n\r\n{"email":"${EMAIL}"}`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400/);

    const log = t.logs.join('');
    const secrets = [
      GIVEN,
      FAMILY,
      BIRTH,
      PHONE,
      PHONE.replace(/\D/g, ''),
      EMAIL,
      MEMBER_ID,
      ADMIN_KEY,
      ...Object.values(keys).map((k) => k.key),
    ];
    for (const s of secrets) {
      expect({ secret: s, found: log.toLowerCase().includes(s.toLowerCase()) }).toEqual({ secret: s, found: false });
    }
    // Base64 of a Buffer would hide the bytes from a plain search; rawPacket must not be logged at all.
    expect(log).not.toContain('rawPacket');

    // The logs still tell what happened: every request, the failure with its SQLSTATE, the parser error.
    const lines = t.logs.flatMap((l) => l.trim().split('\n')).map((l) => JSON.parse(l) as Record<string, any>);
    expect(lines.filter((l) => l.msg === 'incoming request').length).toBeGreaterThan(25);
    expect(lines.find((l) => l.msg === 'unhandled error')).toMatchObject({ err: { sqlState: 'XX000' } });
    expect(lines.some((l) => /client error/.test(l.msg ?? ''))).toBe(true);
    const searched = lines.find((l) => l.req?.url?.startsWith('/v1/patients?q='));
    expect(searched?.req.url).toBe('/v1/patients?q=*');
    expect(lines.some((l) => l.req?.url === '/v1/patients/*')).toBe(true);
  });
});

describe('PostgreSQL server log lines (embedded server)', () => {
  it('drop DETAIL and STATEMENT lines and mask quoted values', () => {
    expect(pgLogLine('2027-03-01 10:00:00 UTC [42] DETAIL:  Failing row contains (1, MRN-1, Quentinella, Zarathustrova).')).toBeUndefined();
    expect(pgLogLine('2027-03-01 10:00:00 UTC [42] STATEMENT:  SELECT 1')).toBeUndefined();
    expect(pgLogLine('ERROR:  invalid input syntax for type uuid: "Zarathustrova"')).toBe(
      'ERROR:  invalid input syntax for type uuid: "*"',
    );
    expect(
      pgLogLine('ERROR:  duplicate key value violates unique constraint "patients_mrn_key" Key (mrn)=(MRN-1) already exists'),
    ).not.toContain('MRN-1');
    expect(pgLogLine('LOG:  database system is ready to accept connections')).toBe('LOG:  database system is ready to accept connections');
  });
});
