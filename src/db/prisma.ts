// One pg pool per process for API requests, shared by Prisma (through the driver adapter) and by the
// few hot-path queries that need a single round trip Prisma cannot express; and a second, small pool
// for the nightly report, whose statements may run for minutes.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.ts';

export interface Database {
  prisma: PrismaClient;
  pool: pg.Pool;
  /** The report's own connections (at most 2), with a long statement limit; idle ones close quickly. */
  reportPool: pg.Pool;
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
/** The longest an API statement may run on the server (57014 → 503). The slowest API statement on the
 * 100k-patient data set takes well under a second (docs/performance.md). */
export const STATEMENT_TIMEOUT_MS = 4_000;
/** The longest a query may wait for its answer on the client side, so a database that stops answering
 * (frozen, or a network path that drops packets) cannot hold a request for the length of the freeze:
 * a little longer than the server's own limit, which answers first while the server is alive. */
export const QUERY_TIMEOUT_MS = 5_000;
/** The report reads years of history in one snapshot: minutes, not seconds. */
export const REPORT_STATEMENT_TIMEOUT_MS = 10 * 60_000;
export const REPORT_QUERY_TIMEOUT_MS = REPORT_STATEMENT_TIMEOUT_MS + 30_000;

const READ_TIMEOUT = 'Query read timeout';

/**
 * pg answers a query past `query_timeout` with an error but leaves the connection as it was: its
 * statement is still in flight, and the next query sent on it would wait behind it. Whoever holds such
 * a connection might release it to the pool as healthy (Prisma's transactions release without an
 * error), so the connection is closed here, at the moment of the timeout: the pool then drops it, and
 * the server ends the backend's statement when it reads the closed socket.
 */
export function discardOnReadTimeout(client: pg.Client | pg.PoolClient): void {
  type QueryFn = (...args: unknown[]) => unknown;
  const original = client.query.bind(client) as QueryFn;
  const destroy = (err: unknown) => {
    if (err instanceof Error && err.message === READ_TIMEOUT) {
      (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    }
  };
  const wrapped: QueryFn = (...args) => {
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = (err: unknown, res: unknown) => {
        destroy(err);
        (last as (e: unknown, r: unknown) => void)(err, res);
      };
      return original(...args);
    }
    const result = original(...args);
    if (result instanceof Promise) result.then(undefined, destroy);
    return result;
  };
  (client as unknown as { query: QueryFn }).query = wrapped;
}

function createPool(
  url: string,
  opts: { max: number; idleTimeoutMillis: number; statementTimeout: number; queryTimeout: number; name: string },
  onError?: (err: Error) => void,
): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: opts.idleTimeoutMillis,
    statement_timeout: opts.statementTimeout,
    query_timeout: opts.queryTimeout,
    application_name: opts.name,
  });
  pool.on('error', (err) => onError?.(err));
  // A connection that dies while checked out (database restarted mid-request) emits 'error' on its
  // client, where pg-pool has no listener; unhandled, that would crash the process. Its queries still
  // fail with the error, which the request answers as 503.
  pool.on('connect', (client) => {
    client.on('error', (err) => onError?.(err));
    discardOnReadTimeout(client);
  });
  return pool;
}

export function createDatabase(opts: DatabaseOptions): Database {
  const pool = createPool(
    opts.url,
    {
      max: opts.poolSize,
      idleTimeoutMillis: 30_000,
      statementTimeout: STATEMENT_TIMEOUT_MS,
      queryTimeout: QUERY_TIMEOUT_MS,
      name: 'esi-scheduler',
    },
    opts.onPoolError,
  );
  const reportPool = createPool(
    opts.url,
    {
      max: 2,
      idleTimeoutMillis: 5_000,
      statementTimeout: REPORT_STATEMENT_TIMEOUT_MS,
      queryTimeout: REPORT_QUERY_TIMEOUT_MS,
      name: 'esi-scheduler-report',
    },
    opts.onPoolError,
  );
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  let closed = false;
  return {
    prisma,
    pool,
    reportPool,
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await Promise.all([pool.end(), reportPool.end()]);
    },
  };
}
