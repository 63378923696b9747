// The process entry point: configuration, database (embedded when DATABASE_URL is unset), migrations,
// then listen. Handles SIGTERM/SIGINT by draining requests and closing the database.
import { mkdir, readFile, writeFile, chmod } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { DataDirBusyError, startEmbedded, type EmbeddedDatabase } from './db/embedded.ts';
import { migrate } from './db/migrate.ts';
import { createDatabase } from './db/prisma.ts';
import { auditTrailExposure, servingRoleOf } from './db/roles.ts';
import { loggerOptions, pgLogLine } from './logger.ts';
import { generateKey } from './modules/api-keys/api-keys.routes.ts';
import { ensureDashboardBuilt } from './dashboard-build.ts';
import { startReportScheduler } from './modules/reports/report-scheduler.ts';
import { resolveServerSecret } from './server-secret.ts';

/** With the embedded database and no ADMIN_API_KEY, a key is generated once and kept in the data dir.
 * The key is only ever in that file (mode 0600): what the start prints goes where logs are collected. */
async function embeddedAdminKey(dataDir: string): Promise<{ key: string; file: string; created: boolean }> {
  const file = join(dataDir, 'admin-api-key');
  if (existsSync(file)) return { key: (await readFile(file, 'utf8')).trim(), file, created: false };
  const key = generateKey();
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return { key, file, created: true };
}

const EX_TEMPFAIL = 75;

export async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  const log = pino(loggerOptions(config.logLevel));
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.databaseUrl;
  let ownerUrl = config.databaseOwnerUrl ?? config.databaseUrl;
  if (!databaseUrl) {
    const dataDir = resolve(config.dataDir);
    // As root, PostgreSQL runs as a separate `postgres` user that must be able to enter the folder.
    await mkdir(dataDir, { recursive: true, mode: process.getuid?.() === 0 ? 0o755 : 0o700 });
    try {
      embedded = await startEmbedded({
        dataDir,
        database: 'esi',
        port: config.embeddedPgPort,
        onLog: (m) => {
          const pg = pgLogLine(m);
          if (pg) log.debug({ pg }, 'embedded postgres');
        },
      });
    } catch (err) {
      if (err instanceof DataDirBusyError) {
        process.stderr.write(`Not started: ${err.message}\n`);
        process.exit(EX_TEMPFAIL);
      }
      throw err;
    }
    databaseUrl = embedded.servingUrl;
    ownerUrl = embedded.url;
    if (!config.adminApiKey) {
      const { key, file, created } = await embeddedAdminKey(dataDir);
      config = { ...config, adminApiKey: key };
      process.stdout.write(
        created ? `\nAn admin API key was generated: read it from ${file} (mode 0600)\n\n` : `Admin API key: in ${file}\n`,
      );
    }
    log.info({ port: embedded.port }, 'embedded PostgreSQL running');
  }
  const migrated = await migrate(ownerUrl ?? databaseUrl, { servingRole: servingRoleOf(ownerUrl ?? databaseUrl, databaseUrl) });
  if (migrated.applied.length) log.info({ applied: migrated.applied }, 'migrations applied');
  await ensureDashboardBuilt(log);

  const db = createDatabase({
    url: databaseUrl,
    poolSize: config.databasePoolSize,
    onPoolError: (err) => log.warn({ err: { message: err.message } }, 'database connection lost'),
  });
  // Request logs are buffered and written in 8 KB batches, flushed at least every 200 ms: one
  // synchronous write per line was a tenth of the CPU of a read under load. pino flushes what is
  // buffered when the process exits.
  const logStream = pino.destination({ dest: 1, sync: false, minLength: 8_192 });
  setInterval(() => logStream.flush(), 200).unref();
  const exposure = await auditTrailExposure(db.pool).catch(() => undefined);
  if (exposure?.exposed) {
    log.warn(
      { reasons: exposure.reasons },
      'the serving database role could alter the audit trail: give DATABASE_URL a role that owns nothing and DATABASE_OWNER_URL the owner (docs/security.md)',
    );
  }
  const secret = await resolveServerSecret(config.serverSecret, resolve(config.dataDir));
  if (secret.source === 'process')
    log.warn('DATA_DIR is not writable and SERVER_SECRET is unset: idempotency records will not survive a restart');
  const app = await buildApp({ config: { ...config, databaseUrl, serverSecret: secret.secret }, db, logStream });
  const scheduler = config.reportScheduler ? startReportScheduler({ db, config, log }) : undefined;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 25_000);
    force.unref();
    try {
      scheduler?.stop();
      await app.close(); // stops accepting, lets in-flight requests finish
      await db.close();
      await embedded?.stop();
      clearTimeout(force);
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EADDRNOTAVAIL' && code !== 'EACCES') throw err;
    process.stderr.write(
      code === 'EADDRINUSE'
        ? `Not started: ${config.host}:${config.port} is already in use. Set PORT to a free port (or HOST to another address).\n`
        : `Not started: cannot listen on ${config.host}:${config.port} (${code}). Set HOST to an address of this machine and PORT to a port this user may open.\n`,
    );
    scheduler?.stop();
    await app.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    process.exit(EX_TEMPFAIL);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  process.stdout.write(`ESI Scheduler listening on http://${config.host}:${port}/ (dashboard), API docs at /docs\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`Failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
