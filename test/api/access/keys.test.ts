// API keys as an operator sees them: issued once, stored only as a hash, refused everywhere the moment
// they are revoked; failed authentications rate limited per address without touching valid keys;
// security headers on the API and the docs.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { ADMIN_KEY, createTestApp, factories, type TestApp } from '../../helpers/app.ts';
import { bearer, secondInstance, sqlClient } from './support.ts';

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

const me = (key: string, app = t.app, remoteAddress?: string) =>
  app.inject({ method: 'GET', url: '/v1/me', headers: bearer(key), ...(remoteAddress ? { remoteAddress } : {}) });

describe('issuing keys', () => {
  it('shows the secret once, stores only its hash, and the key acts with its role at once', async () => {
    const admin = factories(t.app);
    const res = await admin.call('POST', '/v1/api-keys', { name: 'front desk 2', role: 'front_desk' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      name: 'front desk 2',
      role: 'front_desk',
      key: expect.stringMatching(/^esk_[A-Za-z0-9_-]{40,}$/),
    });
    const secret: string = res.body.key;
    expect((await me(secret)).json()).toMatchObject({ id: res.body.id, name: 'front desk 2', role: 'front_desk' });

    const { rows } = await sql.query<{ row: string }>('SELECT row_to_json(k)::text AS row FROM api_keys k');
    expect(rows.length).toBeGreaterThan(0);
    for (const { row } of rows) expect(row).not.toContain(secret);
    const audit = await sql.query<{ row: string }>('SELECT row_to_json(a)::text AS row FROM audit_events a');
    for (const { row } of audit.rows) expect(row).not.toContain(secret);

    const listed = await admin.call('GET', '/v1/api-keys');
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(listed.body.items.find((k: { id: string }) => k.id === res.body.id)).toMatchObject({ role: 'front_desk', revokedAt: null });
  });

  it('refuses unknown roles and fields', async () => {
    const admin = factories(t.app);
    expect((await admin.call('POST', '/v1/api-keys', { name: 'x', role: 'superuser' })).status).toBe(400);
    expect((await admin.call('POST', '/v1/api-keys', { name: 'x', role: 'admin', key: 'chosen-secret-123' })).status).toBe(400);
  });

  it('treats ADMIN_API_KEY as an admin that can issue keys, without any row', async () => {
    expect((await me(ADMIN_KEY)).json()).toMatchObject({ role: 'admin', name: 'bootstrap-admin' });
    const { rows } = await sql.query('SELECT count(*)::int AS n FROM api_keys WHERE role = $1 AND name = $2', ['admin', 'bootstrap-admin']);
    expect(rows[0].n).toBe(0);
  });
});

describe('ADMIN_API_KEY', () => {
  it('is refused at start when it could never be sent as a bearer token', () => {
    for (const bad of [
      'has spaces in it, thirty-two characters+',
      'quote"in-the-middle-of-a-long-admin-key',
      'ümlaut-admin-key-0001-0123456789abcdef',
    ]) {
      expect(() => loadConfig({ ADMIN_API_KEY: bad })).toThrow(/ADMIN_API_KEY: must use only/);
    }
    expect(loadConfig({ ADMIN_API_KEY: 'Abc-123_xyz.~+/=0123456789abcdefghij' }).adminApiKey).toBe('Abc-123_xyz.~+/=0123456789abcdefghij');
  });
});

describe('revoking keys', () => {
  it('refuses a revoked key with 401 at once, on this and on another instance', async () => {
    const other = await secondInstance(t);
    try {
      const issued = await factories(t.app).call('POST', '/v1/api-keys', { name: 'to revoke', role: 'clinician' });
      const secret: string = issued.body.key;
      expect((await me(secret, t.app)).statusCode).toBe(200);
      expect((await me(secret, other.app)).statusCode).toBe(200);
      const del = await factories(other.app).call('DELETE', `/v1/api-keys/${issued.body.id}`);
      expect(del.status).toBe(204);
      expect((await me(secret, t.app)).statusCode).toBe(401);
      expect((await me(secret, other.app)).statusCode).toBe(401);
      const listed = await factories(t.app).call('GET', '/v1/api-keys');
      expect(listed.body.items.find((k: { id: string }) => k.id === issued.body.id).revokedAt).toEqual(expect.any(String));
    } finally {
      await other.close();
    }
  });

  it('answers 404 for an unknown key id and 400 for a malformed one', async () => {
    expect((await factories(t.app).call('DELETE', `/v1/api-keys/${randomUUID()}`)).status).toBe(404);
    expect((await factories(t.app).call('DELETE', '/v1/api-keys/not-a-uuid')).status).toBe(400);
  });
});

describe('rate limiting failed authentication', () => {
  it('answers 429 problem+json after N failures from one address, while valid keys from it still work', async () => {
    const limited = await createTestApp({ authFailuresPerMinute: 3 });
    try {
      const address = '203.0.113.7';
      const good = (await factories(limited.app).apiKey('auditor')).key;
      // Valid requests never count: many of them, then still three failures allowed.
      for (let i = 0; i < 10; i++) expect((await me(good, limited.app, address)).statusCode).toBe(200);
      const failures = [bearer(`esk_${randomUUID()}`), {}, { authorization: 'Basic Zm9vOmJhcg==' }];
      for (const headers of failures) {
        expect((await limited.app.inject({ method: 'GET', url: '/v1/me', headers, remoteAddress: address })).statusCode).toBe(401);
      }
      const blocked = await limited.app.inject({
        method: 'GET',
        url: '/v1/patients',
        headers: bearer('esk_guess-guess-guess'),
        remoteAddress: address,
      });
      expect(blocked.statusCode).toBe(429);
      expect(blocked.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(blocked.json()).toMatchObject({ status: 429, code: 'AUTH.RATE_LIMITED' });
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect((await me(good, limited.app, address)).statusCode).toBe(200);
      expect((await me(ADMIN_KEY, limited.app, address)).statusCode).toBe(200);
      // Another address is counted on its own.
      expect((await limited.app.inject({ method: 'GET', url: '/v1/me', remoteAddress: '198.51.100.9' })).statusCode).toBe(401);
      // Public routes are never limited.
      expect((await limited.app.inject({ method: 'GET', url: '/healthz', remoteAddress: address })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('security headers', () => {
  const expectHelmet = (headers: Record<string, unknown>, where: string) => {
    expect({ where, nosniff: headers['x-content-type-options'] }).toEqual({ where, nosniff: 'nosniff' });
    expect({ where, csp: typeof headers['content-security-policy'] }).toEqual({ where, csp: 'string' });
    expect({ where, frame: headers['x-frame-options'] }).toEqual({ where, frame: 'SAMEORIGIN' });
    expect({ where, hsts: String(headers['strict-transport-security']) }).toEqual({ where, hsts: expect.stringContaining('max-age=') });
    expect({ where, referrer: headers['referrer-policy'] }).toEqual({ where, referrer: 'no-referrer' });
    expect({ where, poweredBy: headers['x-powered-by'] }).toEqual({ where, poweredBy: undefined });
  };

  it('are on API answers, success and refusal alike, on the docs and on the OpenAPI document', async () => {
    expectHelmet((await me(ADMIN_KEY)).headers, 'GET /v1/me');
    expectHelmet((await t.app.inject({ method: 'GET', url: '/v1/me' })).headers, '401');
    expectHelmet((await factories(t.app).call('POST', '/v1/patients', {})).headers, '400');
    expectHelmet((await t.app.inject({ method: 'GET', url: '/docs/' })).headers, '/docs/');
    expectHelmet((await t.app.inject({ method: 'GET', url: '/docs/static/index.html' })).headers, '/docs/static/index.html');
    expectHelmet((await t.app.inject({ method: 'GET', url: '/openapi.json' })).headers, '/openapi.json');
    expectHelmet((await t.app.inject({ method: 'GET', url: '/healthz' })).headers, '/healthz');
  });
});
