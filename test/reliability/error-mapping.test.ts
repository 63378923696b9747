// Each way the database can fail a request, produced for real (refused, connect timeout, backend
// terminated, broken pooled client, transaction maxWait and timeout, statement timeout, deadlock, a
// database refusing connections), through the app's error handler: always a 503 problem with Retry-After, never a 500.
import { createServer, type Server, type Socket } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, type Database } from '../../src/db/prisma.ts';
import errorsPlugin from '../../src/plugins/errors.plugin.ts';
import { cloneDatabase, type TestDatabase } from './support/databases.ts';
import { printFigures } from './support/figures.ts';

const CLOSED_PORT = 55499;
const SILENT_PORT = 55498;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('database failures through the error handler', () => {
  let testDb: TestDatabase;
  let db: Database;
  let silent: Server;
  const sockets: Socket[] = [];
  const extra: Database[] = [];
  let app: FastifyInstance;
  const seen: Record<string, string> = {};

  const scenarios: Record<string, () => Promise<unknown>> = {
    'connection refused (model query)': () =>
      track(createDatabase({ url: `postgresql://postgres@127.0.0.1:${CLOSED_PORT}/x`, poolSize: 2 })).prisma.patient.findFirst(),
    'connection refused (transaction)': () =>
      track(createDatabase({ url: `postgresql://postgres@127.0.0.1:${CLOSED_PORT}/x`, poolSize: 2 })).prisma.$transaction(async (tx) =>
        tx.patient.findFirst(),
      ),
    'connect timeout (server accepts, never answers)': () =>
      track(createDatabase({ url: `postgresql://postgres@127.0.0.1:${SILENT_PORT}/x`, poolSize: 2 })).prisma.$transaction(async (tx) =>
        tx.patient.findFirst(),
      ),
    'connect timeout (raw pool query)': () =>
      track(createDatabase({ url: `postgresql://postgres@127.0.0.1:${SILENT_PORT}/x`, poolSize: 2 })).pool.query('SELECT 1'),
    'backend terminated mid-query (57P01)': async () => {
      const killer = setTimeout(
        () =>
          void testDb.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(2.5)%' AND query NOT LIKE '%pg_terminate_backend%' AND pid <> pg_backend_pid()`,
          ),
        300,
      );
      try {
        return await db.prisma.$queryRaw`SELECT 1 AS one FROM pg_sleep(2.5)`;
      } finally {
        clearTimeout(killer);
      }
    },
    'pooled client whose socket broke (not queryable)': async () => {
      const client = await db.pool.connect();
      client.on('error', () => undefined);
      const [{ pid }] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [{ pid: number }];
      await testDb.query('SELECT pg_terminate_backend($1)', [pid]);
      await sleep(200);
      try {
        await client.query('SELECT 1').catch(() => undefined); // the first sees the termination
        return await client.query('SELECT 1');
      } finally {
        client.release(true);
      }
    },
    'transaction past its timeout (P2028)': () =>
      db.prisma.$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT 1 AS one FROM pg_sleep(0.4)`;
          return tx.patient.findFirst();
        },
        { timeout: 100 },
      ),
    'transaction past maxWait, pool exhausted': async () => {
      const small = track(createDatabase({ url: testDb.url, poolSize: 1 }));
      const held = await small.pool.connect();
      try {
        return await small.prisma.$transaction(async (tx) => tx.patient.findFirst(), { maxWait: 200 });
      } finally {
        held.release();
      }
    },
    'statement timeout (57014)': () =>
      db.prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SET LOCAL statement_timeout = 50`;
        return tx.$queryRaw`SELECT 1 AS one FROM pg_sleep(1)`;
      }),
    'deadlock (40P01)': async () => {
      await testDb.query(
        `CREATE TABLE IF NOT EXISTS rel_locks (id int PRIMARY KEY); INSERT INTO rel_locks VALUES (1), (2) ON CONFLICT DO NOTHING`,
      );
      const lockBoth = (first: number, second: number) =>
        db.prisma.$transaction(async (tx) => {
          await tx.$executeRawUnsafe(`UPDATE rel_locks SET id = id WHERE id = ${first}`);
          await sleep(200);
          await tx.$executeRawUnsafe(`UPDATE rel_locks SET id = id WHERE id = ${second}`);
        });
      const results = await Promise.allSettled([lockBoth(1, 2), lockBoth(2, 1)]);
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      return 'no deadlock';
    },
    'database not accepting connections (55000)': async () => {
      // Altered from a connection to another database: a session cannot lock out its own.
      const admin = new pg.Client({ connectionString: inject('relServerUrl') });
      await admin.connect();
      const name = new URL(testDb.url).pathname.slice(1);
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      try {
        return await track(createDatabase({ url: testDb.url, poolSize: 1 })).prisma.patient.findFirst();
      } finally {
        await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
        await admin.end();
      }
    },
  };

  function track(d: Database): Database {
    d.pool.on('error', () => undefined);
    extra.push(d);
    return d;
  }

  beforeAll(async () => {
    testDb = await cloneDatabase('errs');
    db = track(createDatabase({ url: testDb.url, poolSize: 4 }));
    silent = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(SILENT_PORT, '127.0.0.1', r));
    app = Fastify({ logger: false });
    await app.register(errorsPlugin);
    for (const [i, run] of Object.values(scenarios).entries()) {
      app.get(`/s/${i}`, async () => {
        try {
          return { ok: await run() };
        } catch (err) {
          const e = err as { name?: string; code?: string; message?: string };
          seen[i] = `${e.name ?? '?'} ${e.code ?? ''} ${(e.message ?? '').split('\n').filter(Boolean).pop()?.slice(0, 90) ?? ''}`;
          throw err;
        }
      });
    }
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    for (const d of extra) await d.close().catch(() => undefined);
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent?.close(r));
    await testDb?.drop();
  });

  it('answers every kind of database failure with a 503 problem and Retry-After', async () => {
    const names = Object.keys(scenarios);
    const rows: Record<string, string> = {};
    const bad: string[] = [];
    for (const [i, name] of names.entries()) {
      const started = Date.now();
      const res = await app.inject({ method: 'GET', url: `/s/${i}` });
      const body = res.body;
      rows[name] = `${res.statusCode} in ${Date.now() - started} ms <- ${seen[i] ?? 'no error'}`;
      const ok =
        res.statusCode === 503 &&
        String(res.headers['content-type']).startsWith('application/problem+json') &&
        res.json<{ code: string }>().code === 'SERVICE.UNAVAILABLE' &&
        res.headers['retry-after'] !== undefined &&
        !/select|pg_|stack|at \//i.test(body);
      if (!ok) bad.push(`${name}: ${res.statusCode} ${body.slice(0, 200)}`);
    }
    printFigures('database-error-mapping', rows);
    expect(bad).toEqual([]);
  });
});
