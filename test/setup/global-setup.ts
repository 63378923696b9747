// Migrates a template database once per run; each test file clones it (CREATE DATABASE … TEMPLATE).
// Uses DATABASE_URL's server when set, else an embedded PostgreSQL kept in .data-test/.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbedded, type EmbeddedDatabase } from '../../src/db/embedded.ts';
import { migrate } from '../../src/db/migrate.ts';
import { assertTestServerUrl, ensureServingRole, withAdmin, withDatabase, withRole } from '../helpers/pg-admin.ts';

export const TEMPLATE_DB = 'esi_test_template';

declare module 'vitest' {
  export interface ProvidedContext {
    serverUrl: string;
    /** The same server as the serving role: no superuser, owns nothing, holds only the grants. */
    servingServerUrl: string;
    templateDb: string;
  }
}

let embedded: EmbeddedDatabase | undefined;

export async function setup(project: TestProject): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    assertTestServerUrl(serverUrl);
  } else {
    embedded = await startEmbedded({ dataDir: resolve('.data-test'), database: 'esi_test', port: 54339 });
    serverUrl = embedded.url;
  }
  // Template and clones are named after the run's database, so runs against different databases on
  // one server (several checkouts, CI beside a developer) never drop each other's clones.
  const base = decodeURIComponent(new URL(serverUrl).pathname.slice(1));
  const templateDb = base && base !== 'test' && base !== 'esi_test' ? `${base.slice(0, 30)}_tpl` : TEMPLATE_DB;
  // The apps under test run as a serving role of this run (roles are per server, so named like the
  // template); the template is migrated and owned by the set-up's own role, which grants it.
  const servingRole = `${templateDb}_app`;
  const servingPassword = randomBytes(18).toString('base64url');
  await withAdmin(serverUrl, async (admin) => {
    await ensureServingRole(admin, servingRole, servingPassword);
    // Leftover clones of an interrupted run.
    const old = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1) OR datname = $2`, [
      `${templateDb}_f_`,
      templateDb,
    ]);
    for (const { datname } of old.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${templateDb}"`);
  });
  await migrate(withDatabase(serverUrl, templateDb), { servingRole });
  project.provide('serverUrl', serverUrl);
  project.provide('servingServerUrl', withRole(serverUrl, servingRole, servingPassword));
  project.provide('templateDb', templateDb);
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
}
