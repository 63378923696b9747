// /readyz follows the database: 503 problem+json while it is unreachable, 200 again once it is back,
// without restarting the app. The outage is simulated with a TCP relay in front of the real server.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createDatabase, type Database } from '../../src/db/prisma.ts';
import type { FastifyInstance } from 'fastify';
import { cloneTestDatabase, type TestDatabase } from '../helpers/database.ts';

class Relay {
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}
  async open(port = this.port): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((res) => this.server!.listen(port, '127.0.0.1', res));
    const addr = this.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : port;
  }
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((res) => (this.server ? this.server.close(() => res()) : res()));
    this.server = undefined;
  }
}

let testDb: TestDatabase;
let relay: Relay;
let db: Database;
let app: FastifyInstance;

beforeAll(async () => {
  testDb = await cloneTestDatabase();
  const real = new URL(testDb.url);
  relay = new Relay({ host: real.hostname, port: Number(real.port || 5432) });
  await relay.open();
  const viaRelay = new URL(testDb.url);
  viaRelay.port = String(relay.port);
  const config = loadConfig({
    DATABASE_URL: viaRelay.toString(),
    ADMIN_API_KEY: 'readiness-admin-key-0123456789abcdef-0123',
    LOG_LEVEL: 'silent',
  });
  db = createDatabase({ url: viaRelay.toString(), poolSize: 4 });
  app = await buildApp({ config, db, serveDashboard: false });
});

afterAll(async () => {
  await app.close();
  await db.close().catch(() => undefined);
  await relay.close();
  await testDb.drop();
});

describe('/readyz', () => {
  it('is 200 while the database answers', async () => {
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
  });

  it('is 503 problem+json while the database is unreachable, and API calls fail fast with 503', async () => {
    await relay.close();
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.headers['content-type']).toContain('application/problem+json');
    expect(ready.json()).toMatchObject({ status: 503, code: 'SERVICE.UNAVAILABLE' });
    const api = await app.inject({
      method: 'GET',
      url: '/v1/schedule?date=2027-03-01',
      headers: { authorization: 'Bearer readiness-admin-key-0123456789abcdef-0123' },
    });
    expect(api.statusCode).toBe(503);
    expect(api.json()).toMatchObject({ code: 'SERVICE.UNAVAILABLE' });
    expect(api.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres/i);
  });

  it('is 200 again once the database is back, without restarting the app', async () => {
    await relay.open();
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      status = (await app.inject({ method: 'GET', url: '/readyz' })).statusCode;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
    const api = await app.inject({
      method: 'GET',
      url: '/v1/schedule?date=2027-03-01',
      headers: { authorization: 'Bearer readiness-admin-key-0123456789abcdef-0123' },
    });
    expect(api.statusCode).toBe(200);
  });
});
