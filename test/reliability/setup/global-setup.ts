// Migrates one template database for the reliability run; each test clones it. Uses DATABASE_URL's
// server when set (its database name must contain "test"), else an embedded PostgreSQL of its own.
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbedded, type EmbeddedDatabase } from '../../../src/db/embedded.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { assertTestServerUrl, ensureServingRole, withAdmin, withDatabase, withRole } from '../../helpers/pg-admin.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    relServerUrl: string;
    /** The same server as a serving role (owns nothing; granted by the migration runner). */
    relServingServerUrl: string;
    relTemplateDb: string;
  }
}

/** Port of the embedded server used when DATABASE_URL is unset (the reliability range 55400-55499). */
const EMBEDDED_PORT = 55400;

let embedded: EmbeddedDatabase | undefined;
let embeddedDir: string | undefined;
let adminUrl: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    assertTestServerUrl(serverUrl);
  } else {
    embeddedDir = await mkdtemp(join(tmpdir(), 'esi-rel-pg-'));
    await chmod(embeddedDir, 0o755); // as root, PostgreSQL runs as `postgres` and must enter it
    embedded = await startEmbedded({ dataDir: embeddedDir, database: 'esi_rel_test', port: EMBEDDED_PORT });
    serverUrl = embedded.url;
  }
  const templateDb = 'esi_reltest_tpl';
  const servingRole = 'esi_reltest_app';
  const servingPassword = randomBytes(18).toString('base64url');
  await withAdmin(serverUrl, async (admin) => {
    await ensureServingRole(admin, servingRole, servingPassword);
    // Leftovers of an interrupted run.
    const old = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, 'esi_reltest_')`);
    for (const { datname } of old.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${templateDb}"`);
  });
  await migrate(withDatabase(serverUrl, templateDb), { servingRole });
  adminUrl = serverUrl;
  project.provide('relServerUrl', serverUrl);
  project.provide('relServingServerUrl', withRole(serverUrl, servingRole, servingPassword));
  project.provide('relTemplateDb', templateDb);
}

export async function teardown(): Promise<void> {
  if (adminUrl && !embedded) {
    await withAdmin(adminUrl, (admin) => admin.query('DROP DATABASE IF EXISTS "esi_reltest_tpl" WITH (FORCE)'));
  }
  await embedded?.stop();
  if (embeddedDir) await rm(embeddedDir, { recursive: true, force: true });
}
