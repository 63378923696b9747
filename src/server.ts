// The process entry point: configuration, database (embedded when DATABASE_URL is unset), migrations,
// then listen. Handles SIGTERM/SIGINT by draining requests and closing the database.
import { mkdir, readFile, writeFile, chmod } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { startEmbedded, type EmbeddedDatabase } from './db/embedded.ts';
import { migrate } from './db/migrate.ts';
import { createDatabase } from './db/prisma.ts';
import { loggerOptions, pgLogLine } from './logger.ts';
import { generateKey } from './modules/api-keys/api-keys.routes.ts';
import { ensureDashboardBuilt } from './dashboard-build.ts';
import { startReportScheduler } from './modules/reports/report-scheduler.ts';
import { resolveServerSecret } from './server-secret.ts';

/** With the embedded database and no ADMIN_API_KEY, a key is generated once and kept in the data dir. */
async function embeddedAdminKey(dataDir: string): Promise<{ key: string; created: boolean }> {
  const file = join(dataDir, 'admin-api-key');
  if (existsSync(file)) return { key: (await readFile(file, 'utf8')).trim(), created: false };
  const key = generateKey();
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return { key, created: true };
}

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
  if (!databaseUrl) {
    const dataDir = resolve(config.dataDir);
    // As root, PostgreSQL runs as a separate `postgres` user that must be able to enter the folder.
    await mkdir(dataDir, { recursive: true, mode: process.getuid?.() === 0 ? 0o755 : 0o700 });
    embedded = await startEmbedded({
      dataDir,
      database: 'esi',
      onLog: (m) => {
        const pg = pgLogLine(m);
        if (pg) log.debug({ pg }, 'embedded postgres');
      },
    });
    databaseUrl = embedded.url;
    if (!config.adminApiKey) {
      const { key, created } = await embeddedAdminKey(dataDir);
      config = { ...config, adminApiKey: key };
      // Printed to the terminal (not the log stream) so it never lands in collected logs.
      process.stdout.write(
        created
          ? `\nAdmin API key (kept in ${join(dataDir, 'admin-api-key')}):\n  ${key}\n\n`
          : `Admin API key: see ${join(dataDir, 'admin-api-key')}\n`,
      );
    }
    log.info({ port: embedded.port }, 'embedded PostgreSQL running');
  }
  const migrated = await migrate(databaseUrl);
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

  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  process.stdout.write(`ESI Scheduler listening on http://${config.host}:${port}/ (dashboard), API docs at /docs\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`Failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
