// How PostgreSQL errors surface through Prisma's driver adapter: model calls throw a
// DriverAdapterError with the SQLSTATE in `cause.originalCode`; raw queries throw P2010 with it under
// `meta.driverAdapterError.cause`; our own pg queries throw pg's DatabaseError with `code`.

interface WithCause {
  name?: string;
  code?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; constraint?: unknown } } };
}

export function sqlState(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as WithCause;
  const cause = e.cause as { originalCode?: unknown } | undefined;
  if (cause && typeof cause.originalCode === 'string') return cause.originalCode;
  const metaCause = e.meta?.driverAdapterError?.cause;
  if (metaCause && typeof metaCause.originalCode === 'string') return metaCause.originalCode;
  if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  return undefined;
}

export const isExclusionViolation = (err: unknown) => sqlState(err) === '23P01';
export const isUniqueViolation = (err: unknown) => sqlState(err) === '23505';

/** PostgreSQL refused a value the request carried (class 22: too long, date out of range, NUL byte,
 * bad text representation) — a gap in input validation, answered as the client's error it is. Prisma's
 * own checks of the same kind: P2000 value too long, P2020 value out of range. */
export function isDataException(err: unknown): boolean {
  const state = sqlState(err);
  return state !== undefined && (state.startsWith('22') || state === 'P2000' || state === 'P2020');
}

// P2028 (transaction API error): Prisma could not start, use or end a transaction — its connection
// died under it, or it waited past maxWait/timeout because the database is down or saturated.
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'P1001',
  'P1002',
  'P1008',
  'P1017',
  'P2024',
  'P2028',
]);

/** True when the database cannot be reached (down, restarting, pool exhausted by an outage). */
export function isConnectionError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; name?: unknown };
  const state = sqlState(err);
  // 57P01..57P03: admin shutdown, crash shutdown, cannot connect now; 08xxx: connection exceptions.
  if (state && (state.startsWith('08') || state.startsWith('57P'))) return true;
  if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return true;
  const msg = typeof e.message === 'string' ? e.message : '';
  // pg's own messages: a pooled client whose socket broke answers "… and is not queryable"; a query
  // past the pool's query_timeout (the database stopped answering) "Query read timeout".
  if (
    /timeout exceeded when trying to connect|Query read timeout|Connection terminated|connect ECONNREFUSED|terminating connection|the database system is (starting up|shutting down|in recovery mode)|Can't reach database|is not queryable|not currently accepting connections|too many clients|Transaction already closed|Unable to start a transaction/i.test(
      msg,
    )
  ) {
    return true;
  }
  const causeKind = (e.cause as { kind?: unknown } | undefined)?.kind;
  if (causeKind === 'DatabaseNotReachable' || causeKind === 'ConnectionClosed' || causeKind === 'SocketTimeout') return true;
  return e.cause !== undefined && e.cause !== err ? isConnectionError(e.cause) : false;
}

/** SQLSTATEs of a request that may well succeed if sent again: serialization failure and deadlock
 * (class 40), statement timeout (57014) and insufficient resources such as too many connections (53). */
const RETRYABLE_STATES = /^(40001|40P01|57014|53\d{3})$/;

/** The database cannot serve this request now (down, restarting, saturated, or a retryable conflict):
 * the answer is 503 with Retry-After, never a 500. */
export function isTransientDatabaseError(err: unknown): boolean {
  if (isConnectionError(err)) return true;
  const state = sqlState(err);
  if (state && RETRYABLE_STATES.test(state)) return true;
  return (err as { code?: unknown } | null)?.code === 'P2034'; // Prisma: write conflict or deadlock, retry
}
