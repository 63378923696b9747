// A process that dies after its create commits but before it stores its answer leaves the
// Idempotency-Key record in flight. Once that record is stale, a retry must be answered with the
// committed resource, never by creating it again (a second booking would be refused by R2 as
// clashing with the first, telling the front desk a booking failed that in fact exists).
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, createTestApp, factories, uniqueMrn, type TestApp } from '../../helpers/app.ts';
import { bearer, sqlClient } from './support.ts';

let t: TestApp;
let sql: pg.Client;
beforeAll(async () => {
  t = await createTestApp();
  sql = await sqlClient(t);
});
afterAll(async () => {
  await sql.end();
  await t.close();
});

const post = (url: string, payload: object, key: string) =>
  t.app.inject({ method: 'POST', url, payload, headers: { ...bearer(ADMIN_KEY), 'idempotency-key': key } });

/** What a crash between COMMIT and storing the answer leaves behind, aged past the takeover delay. */
const crashAfterCommit = (key: string) =>
  sql.query(
    `UPDATE idempotency_records SET state = 'in_flight', "responseStatus" = NULL, "responseBody" = NULL, "responseType" = NULL,
            "createdAt" = now() - interval '2 minutes' WHERE key = $1`,
    [key],
  );

const count = async (q: string, p: unknown[]) => (await sql.query<{ n: number }>(q, p)).rows[0]!.n;

describe('retry after a crash between commit and the stored answer', () => {
  it('answers a retried booking with the booking that was committed, and books nothing more', async () => {
    const { patientId, episodeId } = await factories(t.app).patientWithEpisode({ severity: 'severe' });
    const key = randomUUID();
    const body = {
      patientId,
      episodeId,
      scheduledAt: '2027-03-01T09:00:00-05:00',
      level: 'L4-L5',
      approach: 'transforaminal',
      side: 'left',
    };
    const first = await post('/v1/injections', body, key);
    expect(first.statusCode).toBe(201);
    await crashAfterCommit(key);

    const retry = await post('/v1/injections', body, key);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toMatchObject({ id: first.json().id, localDate: '2027-03-01', status: 'scheduled' });
    expect(await count('SELECT count(*)::int AS n FROM injections WHERE "patientId" = $1', [patientId])).toBe(1);

    // The answer is stored now: a further retry replays it as usual.
    const again = await post('/v1/injections', body, key);
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
  });

  it('answers a retried patient registration with that patient instead of 409 for its own MRN', async () => {
    const key = randomUUID();
    const body = { mrn: uniqueMrn(), givenName: 'Ines', familyName: 'Crash', birthDate: '1971-07-07' };
    const first = await post('/v1/patients', body, key);
    expect(first.statusCode).toBe(201);
    await crashAfterCommit(key);
    const retry = await post('/v1/patients', body, key);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toMatchObject({ id: first.json().id, mrn: body.mrn });
  });

  it('runs the request again when the first attempt never committed', async () => {
    const { patientId, episodeId } = await factories(t.app).patientWithEpisode({ severity: 'severe' });
    const key = randomUUID();
    const body = {
      patientId,
      episodeId,
      scheduledAt: '2027-04-01T09:00:00-04:00',
      level: 'L5-S1',
      approach: 'interlaminar',
      side: 'midline',
    };
    const first = await post('/v1/injections', body, key);
    expect(first.statusCode).toBe(201);
    await sql.query(
      `UPDATE idempotency_records SET state = 'in_flight', "responseStatus" = NULL, "responseBody" = NULL, "resourceType" = NULL, "resourceId" = NULL,
              "createdAt" = now() - interval '2 minutes' WHERE key = $1`,
      [key],
    );
    // As if that first booking had rolled back: its record names no resource and its date is free.
    await sql.query('UPDATE injections SET status = $2 WHERE id = $1', [first.json().id, 'cancelled']);
    const retry = await post('/v1/injections', body, key);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(retry.json().id).not.toBe(first.json().id);
  });
});

describe('a create that committed although its request failed', () => {
  it('keeps the key so the retry is answered with the committed resource', async () => {
    const { patientId, episodeId } = await factories(t.app).patientWithEpisode({ severity: 'severe' });
    const key = randomUUID();
    const body = { patientId, episodeId, scheduledAt: '2027-05-03T09:00:00-04:00', approach: 'caudal', side: 'midline' };
    // The answer fails after the booking's transaction committed (as when the connection drops
    // during COMMIT and the client sees a 5xx). Simulated by failing the serialisation of the answer:
    // the first injection-shaped value stringified is the audit row's copy (inside the transaction),
    // the second is the response.
    let seen = 0;
    const original = JSON.stringify;
    JSON.stringify = ((value: unknown, ...rest: []) => {
      if (value && typeof value === 'object' && 'localDate' in value && 'episodeId' in value && ++seen === 2) {
        throw new Error('connection lost while answering');
      }
      return original(value, ...rest);
    }) as typeof JSON.stringify;
    let first;
    try {
      first = await post('/v1/injections', body, key);
    } finally {
      JSON.stringify = original;
    }
    expect(first.statusCode).toBe(500);
    expect(await count('SELECT count(*)::int AS n FROM injections WHERE "patientId" = $1', [patientId])).toBe(1);

    const retry = await post('/v1/injections', body, key);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toMatchObject({ patientId, localDate: '2027-05-03', status: 'scheduled' });
    expect(await count('SELECT count(*)::int AS n FROM injections WHERE "patientId" = $1', [patientId])).toBe(1);
  });
});

describe('the answer cannot be stored after the change committed', () => {
  it('still answers 201 with the booking, and a stale retry is answered with the same booking', async () => {
    const { patientId, episodeId } = await factories(t.app).patientWithEpisode({ severity: 'severe' });
    const key = randomUUID();
    const body = { patientId, episodeId, scheduledAt: '2027-06-07T09:00:00-04:00', approach: 'caudal', side: 'midline' };
    // The database refuses to store the answer (as when it goes away between COMMIT and that UPDATE).
    await sql.query(`CREATE FUNCTION refuse_completion() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.state = 'completed' THEN RAISE EXCEPTION 'storage unavailable' USING ERRCODE = '57P01'; END IF; RETURN NEW; END $$`);
    await sql.query(
      `CREATE TRIGGER refuse_completion BEFORE UPDATE ON idempotency_records FOR EACH ROW EXECUTE FUNCTION refuse_completion()`,
    );
    let first;
    try {
      first = await post('/v1/injections', body, key);
    } finally {
      await sql.query('DROP TRIGGER refuse_completion ON idempotency_records');
      await sql.query('DROP FUNCTION refuse_completion()');
    }
    expect(first.statusCode, first.body).toBe(201);
    await sql.query(`UPDATE idempotency_records SET "createdAt" = now() - interval '2 minutes' WHERE key = $1`, [key]);
    const retry = await post('/v1/injections', body, key);
    expect(retry.statusCode).toBe(201);
    expect(retry.json().id).toBe(first.json().id);
    expect(await count('SELECT count(*)::int AS n FROM injections WHERE "patientId" = $1', [patientId])).toBe(1);
  });
});
