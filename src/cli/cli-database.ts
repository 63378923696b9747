// The database a command-line tool works on: DATABASE_URL (with DATABASE_OWNER_URL for migrations),
// else the embedded PostgreSQL of DATA_DIR: the running server's when one holds the folder (started a
// second time it would refuse, see src/db/embedded.ts), else started for the command and stopped after.
import { resolve } from 'node:path';
import pg from 'pg';
import type { Config } from '../config.ts';
import { DataDirBusyError, runningEmbedded, startEmbedded } from '../db/embedded.ts';

export class ExitError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface CliDatabase {
  ownerUrl: string;
  servingUrl: string;
  stop(): Promise<void>;
}

export async function cliDatabase(config: Config): Promise<CliDatabase> {
  if (config.databaseUrl) {
    return { ownerUrl: config.databaseOwnerUrl ?? config.databaseUrl, servingUrl: config.databaseUrl, stop: async () => undefined };
  }
  const running = runningEmbedded(config.dataDir, 'esi');
  if (running) return { ownerUrl: running.url, servingUrl: running.servingUrl, stop: async () => undefined };
  try {
    const embedded = await startEmbedded({ dataDir: resolve(config.dataDir), database: 'esi', port: config.embeddedPgPort });
    return { ownerUrl: embedded.url, servingUrl: embedded.servingUrl, stop: () => embedded.stop() };
  } catch (err) {
    // The server is starting or stopping right now: its database is neither usable nor free.
    if (err instanceof DataDirBusyError) throw new ExitError(75, `${err.message} Try again in a moment.`);
    throw err;
  }
}

/** Exit 69 with where it tried (never the password) when the database does not answer. */
export async function assertReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (err) {
    const u = new URL(url);
    const e = err as { code?: string; message?: string };
    throw new ExitError(
      69,
      `Cannot reach the database at ${u.hostname}:${u.port || 5432}/${u.pathname.slice(1)}: ${e.code ?? e.message ?? String(err)}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
