// Hardening of the API surface (SPEC §8): no-store on API answers, a per-key rate limit, keyed
// idempotency hashes and record-bound seals, the server's own request id in the audit trail, key
// expiry and last use, cursors the service did not issue, and actions that take no body.
import { createHash, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../../src/shared/schemas.ts';
import { ADMIN_KEY, createTestApp, factories, uniqueMrn, type TestApp } from '../../helpers/app.ts';
import { api } from '../scheduling/support.ts';
import { bearer, sqlClient, until } from './support.ts';

const NOW = '2027-06-15T16:00:00Z';
let t: TestApp;
let sql: pg.Client;

beforeAll(async () => {
  t = await createTestApp({ now: NOW });
  sql = await sqlClient(t);
});
afterAll(async () => {
  await sql.end();
  await t.close();
});

const get = (url: string, key: string | undefined = ADMIN_KEY, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers: { ...(key ? bearer(key) : {}), ...headers } });

describe('Cache-Control: no-store', () => {
  it('is on every /v1 and /fhir answer, errors included, and not on public pages', async () => {
    const answers = {
      'GET /v1/me': await get('/v1/me'),
      '401': await get('/v1/me', undefined),
      '403': await get('/v1/audit-events', (await factories(t.app).apiKey('front_desk')).key),
      '404 unknown /v1 path': await get('/v1/nothing-here'),
      '400': await get('/v1/patients?limit=0'),
      '413': await t.app.inject({
        method: 'POST',
        url: '/v1/patients',
        headers: { ...bearer(ADMIN_KEY), 'content-type': 'application/json' },
        payload: JSON.stringify({ mrn: 'x'.repeat(1024 * 1024 + 10) }),
      }),
      'encoded path': await get('/%76%31/me'),
      '/fhir/R4': await get('/fhir/R4/Patient/123'),
    };
    for (const [what, res] of Object.entries(answers)) {
      expect({ what, cacheControl: res.headers['cache-control'] }).toEqual({ what, cacheControl: 'no-store' });
    }
    expect(answers['413'].statusCode).toBe(413);
    expect((await get('/healthz', undefined)).headers['cache-control']).toBeUndefined();
    expect((await get('/openapi.json', undefined)).headers['cache-control']).toBeUndefined();
  });
});

describe('per-key rate limit', () => {
  it('answers 429 problem+json with Retry-After and RateLimit headers once a key used its minute, other keys unaffected', async () => {
    const limited = await createTestApp({ rateLimitPerMinute: 5 });
    try {
      const f = factories(limited.app);
      const a = (await f.apiKey('auditor')).key;
      const b = (await f.apiKey('auditor')).key;
      const remaining: string[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await limited.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(a) });
        expect(res.statusCode).toBe(200);
        expect(res.headers['ratelimit-limit']).toBe('5');
        remaining.push(String(res.headers['ratelimit-remaining']));
      }
      expect(remaining).toEqual(['4', '3', '2', '1']);
      // The fifth request is allowed even when refused for its role; the sixth is over the limit.
      expect((await limited.app.inject({ method: 'GET', url: '/v1/api-keys', headers: bearer(a) })).statusCode).toBe(403);
      const over = await limited.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(a) });
      expect(over.statusCode).toBe(429);
      expect(over.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(over.json()).toMatchObject({ status: 429, code: 'REQUEST.RATE_LIMITED' });
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(over.headers['ratelimit-limit']).toBe('5');
      expect(over.headers['ratelimit-remaining']).toBe('0');
      expect(Number(over.headers['ratelimit-reset'])).toBeGreaterThan(0);
      // Another key, and the same address, are not affected.
      expect((await limited.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(b) })).statusCode).toBe(200);
      // An invalid key is still a 401 (limited per address, not counted against any key).
      expect((await limited.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(`esk_${randomUUID()}`) })).statusCode).toBe(401);
    } finally {
      await limited.close();
    }
  });

  it('is off with RATE_LIMIT_PER_MINUTE=0', async () => {
    const key = (await factories(t.app).apiKey('auditor')).key;
    for (let i = 0; i < 30; i++) {
      const res = await get('/v1/me', key);
      expect(res.statusCode).toBe(200);
      expect(res.headers['ratelimit-limit']).toBeUndefined();
    }
  });
});

describe('idempotency records', () => {
  const createPatient = (idemKey: string, body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/v1/patients', headers: { ...bearer(ADMIN_KEY), 'idempotency-key': idemKey }, payload: body });
  const patientBody = () => ({ mrn: uniqueMrn(), givenName: 'Hash', familyName: 'Target', birthDate: '1961-02-03' });

  it('store an HMAC under the server secret, not a digest anyone can confirm by guessing the body', async () => {
    const body = patientBody();
    const key = `hash-${randomUUID()}`;
    expect((await createPatient(key, body)).statusCode).toBe(201);
    const { rows } = await sql.query<{ requestHash: string }>('SELECT "requestHash" FROM idempotency_records WHERE key = $1', [key]);
    const stored = rows[0]!.requestHash;
    expect(stored).toMatch(/^h1:[0-9a-f]{8}:[0-9a-f]{64}$/);
    // The old scheme: SHA-256 over method, path and the canonical body, with no secret.
    const canonical = `{${Object.entries(body)
      .sort(([x], [y]) => (x < y ? -1 : 1))
      .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
      .join(',')}}`;
    const plain = createHash('sha256').update(`POST /v1/patients\n${canonical}`).digest('hex');
    expect(stored).not.toContain(plain);
  });

  it('bind each sealed reply to its record: a reply moved to another record does not replay there', async () => {
    const k1 = `swap-a-${randomUUID()}`;
    const k2 = `swap-b-${randomUUID()}`;
    const body1 = patientBody();
    const first = await createPatient(k1, body1);
    const second = await createPatient(k2, patientBody());
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    // Same caller, same sealing key: only the associated data tells the records apart.
    await sql.query(
      `UPDATE idempotency_records SET "responseBody" = (SELECT "responseBody" FROM idempotency_records WHERE key = $2) WHERE key = $1`,
      [k1, k2],
    );
    const replay = await createPatient(k1, body1);
    expect(replay.headers['idempotent-replayed']).toBeUndefined();
    expect(replay.body).not.toContain(second.json().id);
    // Treated as a fresh key: the create runs again and meets the first patient's MRN.
    expect(replay.statusCode).toBe(409);
  });

  it('written by the previous version (plain digest, unbound seal) are treated as fresh keys, never as a different request', async () => {
    const key = `legacy-${randomUUID()}`;
    const keyId = '00000000-0000-4000-8000-000000000000'; // the bootstrap admin's actor id
    await sql.query(
      `INSERT INTO idempotency_records (id, "apiKeyId", key, "requestHash", method, path, state, "responseStatus", "responseBody", "responseType", "expiresAt")
       VALUES (gen_random_uuid(), $1, $2, $3, 'POST', '/v1/patients', 'completed', 201, 'v1:AAAA', 'application/json', now() + interval '1 hour')`,
      [keyId, key, 'a'.repeat(64)],
    );
    const res = await createPatient(key, patientBody());
    expect(res.statusCode).toBe(201);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
  });
});

describe('request ids', () => {
  it("audit rows carry the server's id; a client's X-Request-Id is kept only as clientRequestId", async () => {
    const f = factories(t.app);
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/patients',
      headers: { ...bearer(ADMIN_KEY), 'x-request-id': 'desk-7.req_42' },
      payload: { mrn: uniqueMrn(), givenName: 'Req', familyName: 'Id', birthDate: '1980-01-01' },
    });
    expect(created.statusCode).toBe(201);
    const serverId = String(created.headers['x-request-id']);
    expect(serverId).toMatch(/^[0-9a-f-]{36}$/);
    // A read written by a fused statement, with a malformed client id (not kept).
    const read = await get(`/v1/patients/${created.json().id}`, ADMIN_KEY, { 'x-request-id': 'has space' });
    const readId = String(read.headers['x-request-id']);
    // And a fused read with a well-formed one.
    const read2 = await get(`/v1/patients/${created.json().id}`, ADMIN_KEY, { 'x-request-id': 'desk-7.req_43' });
    const events = (await f.call('GET', `/v1/audit-events?patientId=${created.json().id}`)).body.items as Record<string, unknown>[];
    const byAction = (action: string, requestId: string) => events.find((e) => e.action === action && e.requestId === requestId);
    expect(byAction('patient.create', serverId)).toMatchObject({ clientRequestId: 'desk-7.req_42' });
    expect(byAction('patient.read', readId)).toMatchObject({ clientRequestId: null });
    expect(byAction('patient.read', String(read2.headers['x-request-id']))).toMatchObject({ clientRequestId: 'desk-7.req_43' });
    expect(events.some((e) => e.requestId === 'desk-7.req_42' || e.requestId === 'desk-7.req_43')).toBe(false);
  });

  it('keeps the client id on changes written through the scheduling write path too', async () => {
    const a = api(t);
    const { patientId, episodeId } = await a.exemptPatient();
    const inj = await a.booked(patientId, episodeId, '2027-06-10');
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/injections/${inj.id}/no-show`,
      headers: { ...bearer(ADMIN_KEY), 'x-request-id': 'desk-7.req_44' },
    });
    expect(res.statusCode).toBe(200);
    const events = (await factories(t.app).call('GET', `/v1/audit-events?patientId=${patientId}`)).body.items as Record<string, unknown>[];
    const change = events.find((e) => e.requestId === res.headers['x-request-id']);
    expect(change).toMatchObject({ action: expect.stringMatching(/^injection\./), clientRequestId: 'desk-7.req_44' });
  });

  it('a client cannot file its requests under an id it chooses', async () => {
    const res = await get('/v1/me', ADMIN_KEY, { 'x-request-id': 'chosen-id' });
    expect(res.headers['x-request-id']).not.toBe('chosen-id');
  });
});

describe('key expiry and last use', () => {
  it('shows expiresAt, refuses a past one, and answers 401 once the key expired (also when its lookup is cached)', async () => {
    const f = factories(t.app);
    expect((await f.call('POST', '/v1/api-keys', { name: 'past', role: 'auditor', expiresAt: '2027-06-15T15:59:00Z' })).status).toBe(400);
    expect((await f.call('POST', '/v1/api-keys', { name: 'naive', role: 'auditor', expiresAt: '2027-07-01T00:00:00' })).status).toBe(400);
    const issued = await f.call('POST', '/v1/api-keys', { name: 'temp', role: 'auditor', expiresAt: '2027-06-15T17:00:00Z' });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ expiresAt: '2027-06-15T17:00:00.000Z', lastUsedAt: null });
    const key: string = issued.body.key;
    expect((await get('/v1/me', key)).statusCode).toBe(200);
    expect((await get('/v1/me', key)).statusCode).toBe(200); // served from the cache
    t.setNow('2027-06-15T17:00:00Z');
    try {
      const expired = await get('/v1/me', key);
      expect(expired.statusCode).toBe(401);
      expect(expired.json().detail).toMatch(/expired/);
    } finally {
      t.setNow(NOW);
    }
    const listed = (await f.call('GET', '/v1/api-keys')).body.items.find((k: { id: string }) => k.id === issued.body.id);
    expect(listed).toMatchObject({ expiresAt: '2027-06-15T17:00:00.000Z' });
  });

  it('records lastUsedAt, written at most about once a minute per key', async () => {
    const f = factories(t.app);
    const issued = await f.apiKey('clinician');
    const lastUsed = async () =>
      (await sql.query<{ lastUsedAt: Date | null }>('SELECT "lastUsedAt" FROM api_keys WHERE id = $1', [issued.id])).rows[0]!.lastUsedAt;
    expect(await lastUsed()).toBeNull();
    expect((await get('/v1/me', issued.key)).statusCode).toBe(200);
    await until(async () => (await lastUsed()) !== null, 'lastUsedAt written');
    const first = (await lastUsed())!.getTime();
    t.setNow('2027-06-15T16:00:30Z');
    try {
      expect((await get('/v1/me', issued.key)).statusCode).toBe(200);
      await new Promise((r) => setTimeout(r, 100));
      expect((await lastUsed())!.getTime()).toBe(first);
    } finally {
      t.setNow(NOW);
    }
    const listed = (await f.call('GET', '/v1/api-keys')).body.items.find((k: { id: string }) => k.id === issued.id);
    expect(listed.lastUsedAt).toBe(new Date(first).toISOString());
  });
});

describe('cursors', () => {
  it('answer 400 on every paged endpoint for a cursor it did not issue', async () => {
    const f = factories(t.app);
    await f.patient();
    await f.patient();
    const issued = {
      patients: (await f.call('GET', '/v1/patients?limit=1')).body.nextCursor as string,
      audit: (await f.call('GET', '/v1/audit-events?limit=1')).body.nextCursor as string,
    };
    expect(issued.patients).toEqual(expect.any(String));
    expect(issued.audit).toEqual(expect.any(String));
    const forged = [
      encodeCursor('9223372036854775808'), // 2^63: a 500 from PostgreSQL before
      encodeCursor('99999999999999999999'),
      encodeCursor('0'),
      encodeCursor('-1'),
      encodeCursor('1e3'),
      encodeCursor(' 12'),
      encodeCursor('not-a-cursor'),
      encodeCursor('------------------------------------'),
      encodeCursor('9999-99-99T99:99:99.999Z|00000000-0000-4000-8000-000000000000'),
      encodeCursor('\u0000'),
      '',
      '!!!!',
      'a'.repeat(200),
      `${issued.audit}=`,
      `${issued.patients}.`,
    ];
    const endpoints = {
      '/v1/patients': [issued.audit],
      '/v1/audit-events': [issued.patients],
      '/v1/reports/runs': [issued.audit, issued.patients],
      '/v1/schedule': [issued.audit, issued.patients],
    };
    // Query parameters an endpoint needs besides the cursor, so the cursor is what it judges.
    const required: Record<string, string> = { '/v1/schedule': 'date=2027-03-02&' };
    // Every endpoint that takes a cursor is fuzzed here: a new one must be added above.
    const doc = (await get('/openapi.json', undefined)).json();
    const paged = Object.entries(doc.paths as Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>)
      .filter(([, item]) => item.get?.parameters?.some((p) => p.in === 'query' && p.name === 'cursor'))
      .map(([path]) => path);
    expect(paged.sort()).toEqual(Object.keys(endpoints).sort());
    for (const [path, others] of Object.entries(endpoints)) {
      for (const cursor of [...forged, ...others]) {
        const res = await get(`${path}?${required[path] ?? ''}cursor=${encodeURIComponent(cursor)}`);
        expect({ path, cursor, status: res.statusCode }).toEqual({ path, cursor, status: 400 });
        expect(res.json()).toMatchObject({ code: 'REQUEST.VALIDATION', errors: [{ path: 'querystring.cursor' }] });
      }
    }
    // The issued ones still page on.
    expect((await get(`/v1/patients?limit=1&cursor=${issued.patients}`)).statusCode).toBe(200);
    expect((await get(`/v1/audit-events?limit=1&cursor=${issued.audit}`)).statusCode).toBe(200);
  });
});

describe('actions without input', () => {
  it('accept no body, an empty body and {} alike, with or without Content-Type: application/json', async () => {
    const a = api(t);
    const variants: { name: string; headers: Record<string, string>; payload?: string }[] = [
      { name: 'no body, no type', headers: {} },
      { name: 'no body, json type', headers: { 'content-type': 'application/json' } },
      { name: 'empty body, json type', headers: { 'content-type': 'application/json' }, payload: '' },
      { name: 'whitespace body, json type', headers: { 'content-type': 'application/json' }, payload: ' \r\n' },
      { name: '{}', headers: { 'content-type': 'application/json' }, payload: '{}' },
    ];
    for (const v of variants) {
      const { patientId, episodeId } = await a.exemptPatient();
      const inj = await a.booked(patientId, episodeId, '2027-06-10');
      const res = await t.app.inject({
        method: 'POST',
        url: `/v1/injections/${inj.id}/no-show`,
        headers: { ...bearer(ADMIN_KEY), ...v.headers },
        ...(v.payload === undefined ? {} : { payload: v.payload }),
      });
      expect({ name: v.name, status: res.statusCode }).toEqual({ name: v.name, status: 200 });
      expect(res.json().status).toBe('no_show');
    }
  });

  it('still refuses an empty body where one is required, and malformed or unknown input anywhere', async () => {
    const post = (url: string, payload: string) =>
      t.app.inject({ method: 'POST', url, headers: { ...bearer(ADMIN_KEY), 'content-type': 'application/json' }, payload });
    const empty = await post('/v1/patients', '');
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ code: 'REQUEST.VALIDATION', errors: [{ path: 'body' }] });
    expect((await post('/v1/api-keys', '')).statusCode).toBe(400);
    expect((await post('/v1/patients', '{"mrn":')).json()).toMatchObject({ status: 400, code: 'REQUEST.MALFORMED_JSON' });
    expect((await post(`/v1/injections/${randomUUID()}/no-show`, '{"reason":"x"}')).statusCode).toBe(400);
    expect((await post(`/v1/injections/${randomUUID()}/no-show`, '{"__proto__":{"x":1}}')).statusCode).toBe(400);
  });
});
