import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import Fastify from 'fastify';
import errorsPlugin from '../../src/plugins/errors.plugin.ts';
import { createTestApp, factories, auth, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let sql: pg.Client;
beforeAll(async () => {
  t = await createTestApp();
  sql = new pg.Client({ connectionString: t.testDb.url });
  await sql.connect();
});
afterAll(async () => {
  await sql.end();
  await t.close();
});

async function rawPatientAndEpisode() {
  const f = factories(t.app);
  return f.patientWithEpisode({ severity: 'severe' });
}

const insertInjection = (patientId: string, episodeId: string, localDate: string, status = 'scheduled') =>
  sql.query(
    `INSERT INTO injections (id, "patientId", "episodeId", "scheduledAt", "localDate", levels, approach, side, status)
     VALUES (gen_random_uuid(), $1, $2, ($3::date + time '14:00') AT TIME ZONE 'UTC', $3::date, '{L4-L5}', 'interlaminar', 'midline', $4)`,
    [patientId, episodeId, localDate, status],
  );

describe('R2 exclusion constraint in the database', () => {
  it('refuses two counted injections 13 days apart even through raw SQL', async () => {
    const { patientId, episodeId } = await rawPatientAndEpisode();
    await insertInjection(patientId, episodeId, '2027-03-01');
    await expect(insertInjection(patientId, episodeId, '2027-03-14')).rejects.toMatchObject({ code: '23P01' });
    await expect(insertInjection(patientId, episodeId, '2027-02-16', 'completed')).rejects.toMatchObject({ code: '23P01' });
  });

  it('accepts exactly 14 days apart in both directions', async () => {
    const { patientId, episodeId } = await rawPatientAndEpisode();
    await insertInjection(patientId, episodeId, '2027-03-01');
    await insertInjection(patientId, episodeId, '2027-03-15');
    await insertInjection(patientId, episodeId, '2027-02-15');
    const { rows } = await sql.query('SELECT count(*)::int AS n FROM injections WHERE "patientId" = $1', [patientId]);
    expect(rows[0].n).toBe(3);
  });

  it('ignores cancelled and no-show rows', async () => {
    const { patientId, episodeId } = await rawPatientAndEpisode();
    await insertInjection(patientId, episodeId, '2027-03-01');
    await insertInjection(patientId, episodeId, '2027-03-02', 'cancelled');
    await insertInjection(patientId, episodeId, '2027-03-03', 'no_show');
    await expect(
      sql.query(`UPDATE injections SET status = 'scheduled' WHERE "patientId" = $1 AND status = 'cancelled'`, [patientId]),
    ).rejects.toMatchObject({ code: '23P01' });
  });

  it('does not compare different patients', async () => {
    const a = await rawPatientAndEpisode();
    const b = await rawPatientAndEpisode();
    await insertInjection(a.patientId, a.episodeId, '2027-03-01');
    await insertInjection(b.patientId, b.episodeId, '2027-03-01');
  });
});

describe('append-only audit trail', () => {
  it('refuses UPDATE, DELETE and TRUNCATE of audit events', async () => {
    await factories(t.app).patient();
    const { rows } = await sql.query('SELECT count(*)::int AS n FROM audit_events');
    expect(rows[0].n).toBeGreaterThan(0);
    await expect(sql.query(`UPDATE audit_events SET action = 'tampered'`)).rejects.toThrow(/append-only/);
    await expect(sql.query('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
    await expect(sql.query('TRUNCATE audit_events')).rejects.toThrow(/append-only/);
    const after = await sql.query('SELECT count(*)::int AS n FROM audit_events');
    expect(after.rows[0].n).toBe(rows[0].n);
  });
});

describe('one open episode per patient', () => {
  it('is held by a partial unique index', async () => {
    const { patientId } = await rawPatientAndEpisode();
    await expect(
      sql.query(
        `INSERT INTO episodes (id, "patientId", region, diagnosis, "conservativeCareStartedOn", severity) VALUES (gen_random_uuid(), $1, 'lumbar', 'x', '2027-01-01', 'mild')`,
        [patientId],
      ),
    ).rejects.toMatchObject({ code: '23505' });
  });
});

describe('error handling', () => {
  const problem = (res: { headers: Record<string, unknown>; body: string }) => {
    expect(String(res.headers['content-type'])).toContain('application/problem+json');
    return JSON.parse(res.body) as Record<string, any>;
  };

  it('answers malformed JSON with 400 problem+json', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/patients',
      headers: { ...auth(), 'content-type': 'application/json' },
      payload: '{"mrn": ',
    });
    expect(res.statusCode).toBe(400);
    const body = problem(res);
    expect(body).toMatchObject({ status: 400, code: 'REQUEST.MALFORMED_JSON', title: 'Bad Request' });
    expect(body.errors).toEqual([{ path: 'body', message: 'is not valid JSON' }]);
  });

  it('answers validation failures with 400 and errors[] naming each path', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/patients',
      headers: auth(),
      payload: { mrn: 'bad mrn!', givenName: '', familyName: 'X', birthDate: '1970-02-30' },
    });
    expect(res.statusCode).toBe(400);
    const body = problem(res);
    const paths = (body.errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.mrn', 'body.givenName', 'body.birthDate']));
  });

  it('answers bodies over 1 MiB with 413', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/patients',
      headers: { ...auth(), 'content-type': 'application/json' },
      payload: JSON.stringify({ mrn: 'x'.repeat(1024 * 1024 + 10) }),
    });
    expect(res.statusCode).toBe(413);
    expect(problem(res).code).toBe('REQUEST.TOO_LARGE');
  });

  it('answers unknown routes with 404 problem+json', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/nothing-here', headers: auth() });
    expect(res.statusCode).toBe(404);
    expect(problem(res).code).toBe('ROUTE.NOT_FOUND');
  });

  it('hides internals of unexpected failures behind a generic 500', async () => {
    const bare = Fastify({ logger: false });
    await bare.register(errorsPlugin);
    bare.get('/boom', async () => {
      throw new Error('relation "secret_table" does not exist: SELECT password FROM secret_table');
    });
    const res = await bare.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    const body = problem(res);
    expect(body.code).toBe('INTERNAL');
    expect(res.body).not.toMatch(/secret_table|SELECT|password|at .*\.ts/);
    await bare.close();
  });
});

describe('health', () => {
  it('answers /healthz and /readyz while the database is up', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready' });
  });

  it('serves an OpenAPI document with every /v1 route and the bearer scheme', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/injections', '/v1/patients/{id}/eligibility', '/v1/audit-events']));
    expect((await t.app.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
  });
});
