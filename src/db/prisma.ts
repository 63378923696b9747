// One pg pool per process for API requests, shared by Prisma (through the driver adapter) and by the
// few hot-path queries that need a single round trip Prisma cannot express; and a second, small pool
// for the nightly report, whose statements may run for minutes.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.ts';

export interface Database {
  prisma: PrismaClient;
  pool: pg.Pool;
  /** The report's own connections (at most 5: the scheduler's lock, two per report being built), with
   * a long statement limit; idle ones close quickly. */
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

type Release = (err?: Error | boolean) => void;

/**
 * Makes a pooled client's `release` idempotent and returns a way to release it on its holder's behalf.
 * Prisma's transactions release their connection only after a successful ROLLBACK: when the ROLLBACK
 * fails (the connection is gone) the connection is never released and the pool loses a slot for
 * good. A connection that closes while checked out is therefore released here, as broken; the
 * holder's own later release does nothing.
 */
function releasableOnClose(client: pg.PoolClient): (err: Error) => void {
  let current: Release | undefined;
  // pg-pool assigns `client.release` at each checkout: keep its function, hand out an idempotent one.
  Object.defineProperty(client, 'release', {
    configurable: true,
    get: (): Release => (err) => {
      const release = current;
      current = undefined;
      release?.(err);
    },
    set: (fn: Release) => {
      current = fn;
    },
  });
  const releaseIfHeld = (err: Error) => {
    if (current) client.release(err);
  };
  client.on('end', () => releaseIfHeld(new Error('Connection ended while checked out')));
  return releaseIfHeld;
}

/**
 * pg answers a query past `query_timeout` with an error but leaves the connection as it was: its
 * statement is still in flight, and the next query sent on it would wait behind it (a ROLLBACK
 * included, for a second timeout). The connection is closed at the moment of the timeout and released
 * as broken (see releasableOnClose): the pool drops it, and the server ends the backend's statement
 * and rolls back its transaction when it reads the closed socket.
 *
 * A ROLLBACK that fails because its connection is closed is answered as done, since it is. Prisma
 * sends one from a timer when an interactive transaction outlives its `timeout`, and does not catch it
 * failing: on a hung database that rejection would go unhandled and end the process.
 */
export function discardOnReadTimeout(client: pg.PoolClient, onTimeout: (err: Error) => void = () => undefined): void {
  type QueryFn = (...args: unknown[]) => unknown;
  type Callback = (err: unknown, res: unknown) => void;
  const original = client.query.bind(client) as QueryFn;
  const state = client as unknown as { _ending?: boolean; _queryable?: boolean; connection: { stream: { destroy(): void } } };
  let discarded = false;
  const closed = () => discarded || state._ending === true || state._queryable === false;
  const destroy = (err: unknown) => {
    if (err instanceof Error && err.message === READ_TIMEOUT && !discarded) {
      discarded = true;
      state.connection.stream.destroy();
      onTimeout(err);
    }
  };
  const ROLLED_BACK = { command: 'ROLLBACK', rowCount: null, rows: [], fields: [] };
  const sqlOf = (q: unknown) =>
    typeof q === 'string' ? q : typeof (q as { text?: unknown } | null)?.text === 'string' ? (q as { text: string }).text : '';
  const isRollback = (q: unknown) => /^\s*ROLLBACK\s*;?\s*$/i.test(sqlOf(q));
  const wrapped: QueryFn = (...args) => {
    const rollback = isRollback(args[0]);
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = (err: unknown, res: unknown) => {
        destroy(err);
        if (err && rollback && closed()) (last as Callback)(null, ROLLED_BACK);
        else (last as Callback)(err, res);
      };
      return original(...args);
    }
    const result = original(...args);
    if (!(result instanceof Promise)) return result;
    if (rollback) {
      return result.then(undefined, (err: unknown) => {
        destroy(err);
        if (closed()) return ROLLED_BACK;
        throw err;
      });
    }
    result.then(undefined, destroy);
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
    discardOnReadTimeout(client, releasableOnClose(client));
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
      max: 5,
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
