// Migrates a template database once per run; each test file clones it (CREATE DATABASE … TEMPLATE).
// Uses DATABASE_URL's server when set, else an embedded PostgreSQL kept in .data-test/.
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbedded, type EmbeddedDatabase } from '../../src/db/embedded.ts';
import { migrate } from '../../src/db/migrate.ts';
import { assertTestServerUrl, withAdmin, withDatabase } from '../helpers/pg-admin.ts';

export const TEMPLATE_DB = 'esi_test_template';

declare module 'vitest' {
  export interface ProvidedContext {
    serverUrl: string;
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
  await withAdmin(serverUrl, async (admin) => {
    // Leftover clones of an interrupted run.
    const old = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1) OR datname = $2`, [
      `${templateDb}_f_`,
      templateDb,
    ]);
    for (const { datname } of old.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${templateDb}"`);
  });
  await migrate(withDatabase(serverUrl, templateDb));
  project.provide('serverUrl', serverUrl);
  project.provide('templateDb', templateDb);
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
}
