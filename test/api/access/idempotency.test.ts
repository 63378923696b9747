// Idempotency-Key on POST (IETF httpapi idempotency-key draft), observed as a client and in the rows.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, createTestApp, factories, uniqueMrn, type TestApp } from '../../helpers/app.ts';
import { bearer, keysByRole, secondInstance, sqlClient, until, type IssuedKey, type RoleName } from './support.ts';

let t: TestApp;
let sql: pg.Client;
let keys: Record<RoleName, IssuedKey>;

beforeAll(async () => {
  t = await createTestApp();
  sql = await sqlClient(t);
  keys = await keysByRole(t.app);
});
afterAll(async () => {
  await sql.end();
  await t.close();
});

function post(app: FastifyInstance, url: string, payload: object, idempotencyKey: string | undefined, key = ADMIN_KEY) {
  return app.inject({
    method: 'POST',
    url,
    payload,
    headers: { ...bearer(key), ...(idempotencyKey !== undefined ? { 'idempotency-key': idempotencyKey } : {}) },
  });
}

const newPatient = (over: Record<string, unknown> = {}) => ({
  mrn: uniqueMrn(),
  givenName: 'Imogen',
  familyName: 'Retry',
  birthDate: '1966-06-06',
  ...over,
});
const count = async (query: string, params: unknown[]) => (await sql.query<{ n: number }>(query, params)).rows[0]!.n;
const patientsWithMrn = (mrn: string) => count('SELECT count(*)::int AS n FROM patients WHERE mrn = $1', [mrn]);

describe('replay', () => {
  it('answers a repeated POST with the stored status and body, marked Idempotent-Replayed, and creates one row', async () => {
    const key = randomUUID();
    const body = newPatient();
    const first = await post(t.app, '/v1/patients', body, key);
    const second = await post(t.app, '/v1/patients', body, key);
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect(await patientsWithMrn(body.mrn)).toBe(1);
    expect(
      await count(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'patient.create' AND "entityId" = $1`, [first.json().id]),
    ).toBe(1);
  });

  it('treats bodies with the same members in another order as the same request', async () => {
    const key = randomUUID();
    const body = newPatient();
    const first = await post(t.app, '/v1/patients', body, key);
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const second = await post(t.app, '/v1/patients', reordered, key);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
  });

  it('reads the key as a Structured Field String, so "k" and k are the same key', async () => {
    const key = `sf-${randomUUID()}`;
    const body = newPatient();
    const first = await post(t.app, '/v1/patients', body, `"${key}"`);
    const second = await post(t.app, '/v1/patients', body, key);
    expect(first.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await patientsWithMrn(body.mrn)).toBe(1);
  });

  it('replays a refused booking (422) as it was, without booking or auditing the attempt twice', async () => {
    const f = factories(t.app);
    const { patientId, episodeId } = await f.patientWithEpisode();
    const booking = { patientId, episodeId, scheduledAt: '2027-01-20T15:00:00Z', level: 'L4-L5', approach: 'transforaminal', side: 'left' };
    const key = randomUUID();
    const first = await post(t.app, '/v1/injections', booking, key);
    const second = await post(t.app, '/v1/injections', booking, key);
    expect(first.statusCode).toBe(422);
    expect(first.json().violations[0].rule).toBe('R1_CONSERVATIVE_TRIAL');
    expect(second.statusCode).toBe(422);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect(
      await count(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'injection.book.refused' AND "patientId" = $1`, [patientId]),
    ).toBe(1);
  });

  it('without the header, each POST is a new request', async () => {
    const body = newPatient();
    expect((await post(t.app, '/v1/patients', body, undefined)).statusCode).toBe(201);
    const again = await post(t.app, '/v1/patients', body, undefined);
    expect(again.statusCode).toBe(409);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
  });
});

describe('refusals', () => {
  it('answers 422 when the key comes back with another body or another path', async () => {
    const key = randomUUID();
    const body = newPatient();
    expect((await post(t.app, '/v1/patients', body, key)).statusCode).toBe(201);
    const otherBody = await post(t.app, '/v1/patients', { ...body, givenName: 'Imelda' }, key);
    expect(otherBody.statusCode).toBe(422);
    expect(otherBody.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(otherBody.json().code).toBe('IDEMPOTENCY.KEY_REUSED');
    const otherPath = await post(t.app, '/v1/api-keys', { name: 'k', role: 'auditor' }, key);
    expect(otherPath.statusCode).toBe(422);
    expect(await count('SELECT count(*)::int AS n FROM patients WHERE "givenName" = $1', ['Imelda'])).toBe(0);
  });

  it('answers 400 to a key that is empty, too long or not ASCII', async () => {
    for (const bad of ['', 'x'.repeat(256), 'clé', '"unterminated']) {
      const res = await post(t.app, '/v1/patients', newPatient(), bad);
      expect({ bad, status: res.statusCode }).toEqual({ bad, status: 400 });
    }
  });

  it('answers 409 while the first request with the key is still running, then replays its answer', async () => {
    const f = factories(t.app);
    const { patientId, episodeId } = await f.patientWithEpisode();
    const booking = {
      patientId,
      episodeId,
      scheduledAt: '2027-03-01T15:00:00Z',
      level: 'L5-S1',
      approach: 'interlaminar',
      side: 'midline',
    };
    const key = randomUUID();
    // Hold the patient's row lock so the booking parks inside its transaction.
    const holder = await sqlClient(t);
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM patients WHERE id = $1 FOR UPDATE', [patientId]);
    const firstP = post(t.app, '/v1/injections', booking, key);
    try {
      await until(
        async () => (await count(`SELECT count(*)::int AS n FROM idempotency_records WHERE key = $1 AND state = 'in_flight'`, [key])) === 1,
        'the first request to register its key',
      );
      await until(
        async () =>
          (await count(
            `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE NOT l.granted AND a.datname = current_database()`,
            [],
          )) > 0,
        'the first request to wait on the lock',
      );
      const second = await post(t.app, '/v1/injections', booking, key);
      expect(second.statusCode).toBe(409);
      expect(second.json().code).toBe('IDEMPOTENCY.IN_FLIGHT');
      expect(second.headers['retry-after']).toBeDefined();
    } finally {
      await holder.query('COMMIT');
      await holder.end();
    }
    const first = await firstP;
    expect(first.statusCode).toBe(201);
    const third = await post(t.app, '/v1/injections', booking, key);
    expect(third.statusCode).toBe(201);
    expect(third.headers['idempotent-replayed']).toBe('true');
    expect(third.json()).toEqual(first.json());
    expect(await count('SELECT count(*)::int AS n FROM injections WHERE "patientId" = $1', [patientId])).toBe(1);
  });
});

describe('scope and lifetime', () => {
  it('scopes keys to the API key that used them', async () => {
    const key = randomUUID();
    const a = await post(t.app, '/v1/patients', newPatient(), key, keys.front_desk.key);
    const b = await post(t.app, '/v1/patients', newPatient(), key, keys.clinician.key);
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(b.json().id).not.toBe(a.json().id);
  });

  it('forgets a key after 24 hours: an expired key starts afresh', async () => {
    const key = randomUUID();
    const first = await post(t.app, '/v1/patients', newPatient(), key);
    const hours = (
      await sql.query<{ h: number }>(
        `SELECT extract(epoch FROM "expiresAt" - "createdAt") / 3600 AS h FROM idempotency_records WHERE key = $1`,
        [key],
      )
    ).rows[0]!.h;
    expect(Number(hours)).toBeCloseTo(24, 3);
    await sql.query(`UPDATE idempotency_records SET "expiresAt" = now() - interval '1 second' WHERE key = $1`, [key]);
    const later = await post(t.app, '/v1/patients', newPatient({ givenName: 'Isolde' }), key);
    expect(later.statusCode).toBe(201);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(later.json().id).not.toBe(first.json().id);
  });

  it('replays after a restart and on another instance: records live in PostgreSQL', async () => {
    const key = randomUUID();
    const body = newPatient();
    const before = await secondInstance(t);
    const first = await post(before.app, '/v1/patients', body, key);
    await before.close();
    const after = await secondInstance(t);
    try {
      const replay = await post(after.app, '/v1/patients', body, key);
      expect(replay.statusCode).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.json()).toEqual(first.json());
    } finally {
      await after.close();
    }
    expect(await patientsWithMrn(body.mrn)).toBe(1);
  });

  it('does not store a 5xx: the retry runs again', async () => {
    const marker = `BOOM-${randomUUID().slice(0, 8)}`;
    await sql.query(`CREATE FUNCTION fail_marked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.mrn LIKE 'BOOM-%' THEN RAISE EXCEPTION 'induced failure' USING ERRCODE = 'XX000'; END IF; RETURN NEW; END $$`);
    await sql.query('CREATE TRIGGER fail_marked BEFORE INSERT ON patients FOR EACH ROW EXECUTE FUNCTION fail_marked()');
    const key = randomUUID();
    const body = newPatient({ mrn: marker });
    try {
      const failed = await post(t.app, '/v1/patients', body, key);
      expect(failed.statusCode).toBe(500);
      expect(await count('SELECT count(*)::int AS n FROM idempotency_records WHERE key = $1', [key])).toBe(0);
    } finally {
      await sql.query('DROP TRIGGER fail_marked ON patients');
      await sql.query('DROP FUNCTION fail_marked()');
    }
    const retried = await post(t.app, '/v1/patients', body, key);
    expect(retried.statusCode).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(await patientsWithMrn(marker)).toBe(1);
  });
});

describe('what is stored', () => {
  it('keeps neither PHI nor a new API key secret readable in idempotency_records', async () => {
    const phiKey = randomUUID();
    const patient = await post(t.app, '/v1/patients', newPatient({ familyName: 'Vandersloot', email: 'vander@example.org' }), phiKey);
    expect(patient.statusCode).toBe(201);
    const issueKey = randomUUID();
    const issued = await post(t.app, '/v1/api-keys', { name: 'replayable', role: 'clinician' }, issueKey);
    expect(issued.statusCode).toBe(201);
    const secret: string = issued.json().key;
    const rows = (
      await sql.query<{ row: string }>('SELECT row_to_json(r)::text AS row FROM idempotency_records r WHERE key = ANY($1)', [
        [phiKey, issueKey],
      ])
    ).rows;
    expect(rows).toHaveLength(2);
    const dump = rows.map((r) => r.row).join('\n');
    expect(dump).not.toContain('Vandersloot');
    expect(dump).not.toContain('vander@example.org');
    expect(dump).not.toContain(secret);
    // The issuer can still replay, and gets the same secret back (the key works).
    const replay = await post(t.app, '/v1/api-keys', { name: 'replayable', role: 'clinician' }, issueKey);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().key).toBe(secret);
    expect((await t.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(secret) })).json().role).toBe('clinician');
  });
});
