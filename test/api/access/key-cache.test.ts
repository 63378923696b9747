// Key lookups are served from memory while an instance listens for key changes. Two instances on one
// database: a key revoked through one is refused on the very next request to the other, and an
// instance whose listening connection is lost bypasses its cache until it has reconnected by itself.
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.ts';
import { createDatabase, type Database } from '../../../src/db/prisma.ts';
import type { ApiKeyCache } from '../../../src/plugins/api-key-cache.ts';
import { createTestApp, factories, type TestApp } from '../../helpers/app.ts';
import { bearer, sqlClient, until } from './support.ts';

let t: TestApp;
let sql: pg.Client;
let b: { app: FastifyInstance; db: Database; logs: string[] };

beforeAll(async () => {
  t = await createTestApp();
  sql = await sqlClient(t);
  const db = createDatabase({ url: t.testDb.url, poolSize: 4 });
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString());
      cb();
    },
  });
  // A slow first retry, so the test can observe the instance while its listener is down; a fast
  // heartbeat, so the test sees the cache stay trusted only while its connection answers.
  const app = await buildApp({ config: t.config, db, logStream, serveDashboard: false, keyCache: { retryMs: 1_500, heartbeatMs: 200 } });
  b = { app, db, logs };
});
afterAll(async () => {
  await b.app.close();
  await b.db.close();
  await sql.end();
  await t.close();
});

const me = (app: FastifyInstance, key: string) => app.inject({ method: 'GET', url: '/v1/me', headers: bearer(key) });
const cacheOf = (app: FastifyInstance): ApiKeyCache => {
  if (!app.apiKeyCache) throw new Error('no key cache');
  return app.apiKeyCache;
};

describe('the key cache across instances', () => {
  it('serves repeated lookups from memory', async () => {
    const cache = cacheOf(b.app);
    await until(async () => cache.active, 'listener up');
    const key = (await factories(t.app).apiKey('auditor')).key;
    expect((await me(b.app, key)).statusCode).toBe(200);
    const hits = cache.stats.hits;
    for (let i = 0; i < 5; i++) expect((await me(b.app, key)).statusCode).toBe(200);
    expect(cache.stats.hits - hits).toBe(5);
  });

  it('stays trusted across heartbeats of its listening connection', async () => {
    const cache = cacheOf(b.app);
    await until(async () => cache.active, 'listener up');
    const key = (await factories(t.app).apiKey('auditor')).key;
    expect((await me(b.app, key)).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 1_000)); // five heartbeats, twice the trust window
    expect(cache.active).toBe(true);
    const hits = cache.stats.hits;
    expect((await me(b.app, key)).statusCode).toBe(200);
    expect(cache.stats.hits).toBe(hits + 1);
  });

  it('refuses a key revoked on instance A on the very next request to instance B, which had it cached', async () => {
    for (let round = 0; round < 5; round++) {
      const issued = await factories(t.app).apiKey('front_desk');
      expect((await me(b.app, issued.key)).statusCode).toBe(200);
      expect((await me(b.app, issued.key)).statusCode).toBe(200); // now cached on B
      expect((await me(t.app, issued.key)).statusCode).toBe(200); // and on A
      expect((await factories(t.app).call('DELETE', `/v1/api-keys/${issued.id}`)).status).toBe(204);
      expect((await me(b.app, issued.key)).statusCode).toBe(401);
      expect((await me(t.app, issued.key)).statusCode).toBe(401);
    }
  });

  it('refuses a key revoked or expired by any statement on the table, not only by the API', async () => {
    const issued = await factories(t.app).apiKey('clinician');
    expect((await me(b.app, issued.key)).statusCode).toBe(200);
    expect((await me(b.app, issued.key)).statusCode).toBe(200);
    await sql.query(`UPDATE api_keys SET "expiresAt" = now() - interval '1 second' WHERE id = $1`, [issued.id]);
    await until(async () => (await me(b.app, issued.key)).statusCode === 401, 'expiry seen by B');
    const other = await factories(t.app).apiKey('clinician');
    expect((await me(b.app, other.key)).statusCode).toBe(200);
    await sql.query('DELETE FROM api_keys WHERE id = $1', [other.id]);
    await until(async () => (await me(b.app, other.key)).statusCode === 401, 'removal seen by B');
  });

  it('bypasses the cache while the listening connection is lost, and reconnects by itself', async () => {
    const cache = cacheOf(b.app);
    await until(async () => cache.active, 'listener up');
    const issued = await factories(t.app).apiKey('auditor');
    expect((await me(b.app, issued.key)).statusCode).toBe(200);
    expect((await me(b.app, issued.key)).statusCode).toBe(200); // cached on B
    const pid = cache.listenerPid;
    expect(pid).toEqual(expect.any(Number));
    const reconnects = cache.stats.reconnects;
    await sql.query('SELECT pg_terminate_backend($1)', [pid]);
    await until(async () => !cache.active, 'listener loss noticed');

    // While B cannot hear, a revocation must still be effective there: B looks the key up each time.
    const hits = cache.stats.hits;
    await sql.query('UPDATE api_keys SET "revokedAt" = now() WHERE id = $1', [issued.id]);
    expect((await me(b.app, issued.key)).statusCode).toBe(401);
    const fresh = await factories(t.app).apiKey('auditor');
    for (let i = 0; i < 3; i++) expect((await me(b.app, fresh.key)).statusCode).toBe(200);
    expect(cache.stats.hits).toBe(hits);
    expect(cache.active).toBe(false);
    expect(b.logs.join('')).toContain('API key listener lost');

    await until(async () => cache.active, 'listener reconnected', 400);
    expect(cache.stats.reconnects).toBeGreaterThan(reconnects);
    expect(cache.listenerPid).not.toBe(pid);
    expect((await me(b.app, fresh.key)).statusCode).toBe(200);
    expect((await me(b.app, fresh.key)).statusCode).toBe(200);
    expect(cache.stats.hits).toBeGreaterThan(hits);
    // And notifications reach it again.
    expect((await factories(t.app).call('DELETE', `/v1/api-keys/${fresh.id}`)).status).toBe(204);
    expect((await me(b.app, fresh.key)).statusCode).toBe(401);
  });
});
