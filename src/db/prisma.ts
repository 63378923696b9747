// One pg pool per process, shared by Prisma (through the driver adapter) and by the few hot-path
// queries that need a single round trip Prisma cannot express.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.ts';

export interface Database {
  prisma: PrismaClient;
  pool: pg.Pool;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url: string;
  poolSize: number;
  /** Called when an idle connection breaks (database restarted); the pool replaces it by itself. */
  onPoolError?: (err: Error) => void;
}

/** Fail fast while the database is down instead of queueing requests behind a dead server. */
const CONNECT_TIMEOUT_MS = 3_000;
const STATEMENT_TIMEOUT_MS = 15_000;

export function createDatabase(opts: DatabaseOptions): Database {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    application_name: 'esi-scheduler',
  });
  pool.on('error', (err) => opts.onPoolError?.(err));
  // A connection that dies while checked out (database restarted mid-request) emits 'error' on its
  // client, where pg-pool has no listener; unhandled, that would crash the process. Its queries still
  // fail with the error, which the request answers as 503.
  pool.on('connect', (client) => client.on('error', (err) => opts.onPoolError?.(err)));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  let closed = false;
  return {
    prisma,
    pool,
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
