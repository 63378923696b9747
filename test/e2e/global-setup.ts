// Starts the real server (`node --import tsx src/server.ts`) on a fresh database for the browser tests:
// a new database named *_e2e_*_test on DATABASE_URL's server, or, without DATABASE_URL, the server's
// own embedded PostgreSQL in a temporary DATA_DIR. Then issues one key per role through the API.
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startServer, type RunningServer } from './helpers/server.ts';

export interface E2eKeys {
  admin: string;
  frontDesk: string;
  clinician: string;
  auditor: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2eBaseUrl: string;
    e2eKeys: E2eKeys;
    e2eZone: string;
  }
}

const ZONE = 'America/New_York';
let server: RunningServer | undefined;
let dropDatabase: (() => Promise<void>) | undefined;
let tempDir: string | undefined;

/** A fresh database owned by DATABASE_URL's role, and a serving role of this run's own (LOGIN only):
 * the server migrates as the owner and serves as that role, as SPEC §8 sets it up in production. */
async function freshDatabase(serverUrl: string): Promise<{ ownerUrl: string; servingUrl: string }> {
  const tag = randomBytes(5).toString('hex');
  const name = `esi_e2e_${tag}_test`;
  const role = `esi_e2e_${tag}_app`;
  const password = randomBytes(18).toString('base64url');
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.query(`CREATE ROLE "${role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${admin.escapeLiteral(password)}`);
  } finally {
    await admin.end();
  }
  dropDatabase = async () => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.query(`DROP ROLE IF EXISTS "${role}"`);
    } finally {
      await c.end();
    }
  };
  const owner = new URL(serverUrl);
  owner.pathname = `/${name}`;
  const serving = new URL(owner);
  serving.username = role;
  serving.password = password;
  return { ownerUrl: owner.toString(), servingUrl: serving.toString() };
}

async function issueKey(baseUrl: string, adminKey: string, name: string, role: string): Promise<string> {
  const res = await fetch(`${baseUrl}/v1/api-keys`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${adminKey}`,
      'content-type': 'application/json',
      'idempotency-key': randomBytes(12).toString('hex'),
    },
    body: JSON.stringify({ name, role }),
  });
  if (res.status !== 201) throw new Error(`issuing the ${role} key answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { key: string }).key;
}

export async function setup(project: TestProject): Promise<void> {
  const adminKey = `e2e-admin-${randomBytes(16).toString('hex')}`;
  const env: Record<string, string> = { ADMIN_API_KEY: adminKey, REPORT_SCHEDULER: 'off', CLINIC_TIMEZONE: ZONE, LOG_LEVEL: 'warn' };
  if (process.env.DATABASE_URL) {
    const { ownerUrl, servingUrl } = await freshDatabase(process.env.DATABASE_URL);
    env.DATABASE_OWNER_URL = ownerUrl;
    env.DATABASE_URL = servingUrl;
  } else {
    tempDir = await mkdtemp(join(tmpdir(), 'esi-e2e-'));
    // As root, the embedded PostgreSQL runs as another user that must be able to enter the folder.
    await chmod(tempDir, 0o755);
    env.DATA_DIR = join(tempDir, 'data');
  }
  try {
    server = await startServer(env);
  } catch (err) {
    await dropDatabase?.();
    throw err;
  }
  const baseUrl = server.baseUrl;
  const keys: E2eKeys = {
    admin: adminKey,
    frontDesk: await issueKey(baseUrl, adminKey, 'Front desk (e2e)', 'front_desk'),
    clinician: await issueKey(baseUrl, adminKey, 'Dr Clinician (e2e)', 'clinician'),
    auditor: await issueKey(baseUrl, adminKey, 'Auditor (e2e)', 'auditor'),
  };
  project.provide('e2eBaseUrl', baseUrl);
  project.provide('e2eKeys', keys);
  project.provide('e2eZone', ZONE);
}

export async function teardown(): Promise<void> {
  await server?.stop();
  await dropDatabase?.();
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
}
