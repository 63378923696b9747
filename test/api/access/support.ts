// Shared by the access-control tests: one key per role, raw SQL on the test database, and a second
// app instance on the same database (another server, or the same one after a restart).
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../../src/app.ts';
import { createDatabase, type Database } from '../../../src/db/prisma.ts';
import { factories, type TestApp } from '../../helpers/app.ts';

export const ROLE_NAMES = ['front_desk', 'clinician', 'auditor', 'admin'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export interface IssuedKey {
  id: string;
  key: string;
  name: string;
  role: RoleName;
}

/** One fresh key per role, issued through the API by the bootstrap admin. */
export async function keysByRole(app: FastifyInstance): Promise<Record<RoleName, IssuedKey>> {
  const f = factories(app);
  const out = {} as Record<RoleName, IssuedKey>;
  for (const role of ROLE_NAMES) {
    const r = await f.call('POST', '/v1/api-keys', { name: `${role}-desk-${Math.random().toString(36).slice(2, 8)}`, role });
    if (r.status !== 201) throw new Error(`could not issue a ${role} key: ${r.status}`);
    out[role] = r.body as IssuedKey;
  }
  return out;
}

export async function sqlClient(t: TestApp): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: t.testDb.url });
  await client.connect();
  return client;
}

export interface Instance {
  app: FastifyInstance;
  db: Database;
  logs: string[];
  close(): Promise<void>;
}

/** Another app process on the same database: its own pool, its own in-memory state. */
export async function secondInstance(t: TestApp): Promise<Instance> {
  const db = createDatabase({ url: t.testDb.servingUrl, poolSize: 4 });
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString());
      cb();
    },
  });
  const app = await buildApp({ config: t.config, db, logStream, serveDashboard: false, authFailuresPerMinute: 1000 });
  return {
    app,
    db,
    logs,
    async close() {
      await app.close();
      await db.close();
    },
  };
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** Waits for a condition the test cannot otherwise observe (a request parked on a lock); no timing is asserted. */
export async function until(check: () => Promise<boolean>, what: string, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`gave up waiting for ${what}`);
}
