// pino options shared by the server and the CLI. Patient data (names, birth dates, phone, email),
// search terms and secrets are removed by configuration, not by each call site remembering to:
// PHI-named fields are scrubbed at any depth, URLs keep only the API's own words and ids, and errors
// are logged by type, code and stack frames, never by a message that may echo a request or a row.
import type { LoggerOptions } from 'pino';
import { sqlState } from './shared/db-errors.ts';

const PHI_FIELDS = [
  'givenName',
  'familyName',
  'birthDate',
  'phone',
  'email',
  'memberId',
  'name',
  'key',
  'apiKey',
  'password',
  'authorization',
  'cookie',
  'idempotency-key',
  'q',
];
const PHI_SET = new Set(PHI_FIELDS.map((f) => f.toLowerCase()));
const CENSOR = '[redacted]';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'headers.authorization',
  'authorization',
];

/** Path words and query parameter names the app's routes use; anything else in a URL is masked. */
const KNOWN_WORDS = new Set<string>();
const KNOWN_QUERY = new Set<string>();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Called for each registered route (app.ts) so the log can tell route words from caller input. */
export function rememberRoute(url: string, queryNames: readonly string[] = []): void {
  for (const seg of url.split('/')) if (seg && !seg.startsWith(':') && seg !== '*') KNOWN_WORDS.add(seg);
  for (const q of queryNames) KNOWN_QUERY.add(q);
}

/** A path keeps route words and UUIDs; other segments (a name typed where an id belongs) become `*`.
 * Query values are always dropped (`?q=` carries names); unknown parameter names are masked too. */
export function safeUrl(url: string): string {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const safePath = path
    .split('/')
    .map((seg) => (seg === '' || KNOWN_WORDS.has(seg) || UUID.test(seg) ? seg : '*'))
    .join('/');
  if (q < 0) return safePath;
  const names = [...new Set(new URLSearchParams(url.slice(q + 1)).keys())].map((k) => (KNOWN_QUERY.has(k) ? `${k}=*` : '*'));
  return `${safePath}?${names.join('&')}`;
}

interface ErrLike {
  name?: unknown;
  code?: unknown;
  statusCode?: unknown;
  syscall?: unknown;
  message?: unknown;
  stack?: unknown;
  constructor?: { name?: string };
}

/** Connection trouble is worded by pg and Node without any request data. */
const SAFE_MESSAGE =
  /^(connect E[A-Z]+ [0-9a-f.:[\]]+|Connection terminated[\w ]*|timeout exceeded when trying to connect|readiness query timed out|the database system is (starting up|shutting down)|terminating connection [\w ]+)$/;

/** Only messages known to be free of request data: system errors and connection failures. */
function safeMessage(e: ErrLike): string | undefined {
  if (typeof e.message !== 'string') return undefined;
  return typeof e.syscall === 'string' || SAFE_MESSAGE.test(e.message) ? e.message.slice(0, 300) : undefined;
}

/** Error type, code, SQLSTATE and stack frames. Messages of Prisma, PostgreSQL ("invalid input syntax
 * for type uuid: \"…\""), JSON.parse or zod can quote the data that failed, so they are left out. */
export function safeErr(err: unknown): unknown {
  if (typeof err !== 'object' || err === null) return { type: typeof err };
  const e = err as ErrLike;
  const frames =
    typeof e.stack === 'string'
      ? e.stack
          .split('\n')
          .filter((l) => /^\s+at /.test(l))
          .slice(0, 12)
          .map((l) => l.trim())
      : [];
  const out: Record<string, unknown> = { type: typeof e.name === 'string' ? e.name : (e.constructor?.name ?? 'Error') };
  if (typeof e.code === 'string' && e.code.length <= 40) out.code = e.code;
  const state = sqlState(err);
  if (state) out.sqlState = state;
  if (typeof e.statusCode === 'number') out.statusCode = e.statusCode;
  const message = safeMessage(e);
  if (message) out.message = message;
  if (frames.length) out.stack = frames;
  return out;
}

/** A line of PostgreSQL's own log (embedded server): DETAIL, STATEMENT and CONTEXT lines quote row
 * values, and messages quote bad input ("invalid input syntax for type uuid: \"…\""), so quoted
 * text and key values are masked and those lines dropped. */
export function pgLogLine(line: string): string | undefined {
  if (/\b(DETAIL|STATEMENT|CONTEXT|HINT|QUERY):/.test(line)) return undefined;
  return line
    .replace(/"[^"]*"|'[^']*'/g, '"*"')
    .replace(/=\([^)]*\)/g, '=(*)')
    .slice(0, 300);
}

function errorLabel(err: unknown): string {
  const e = err as ErrLike;
  const type = typeof e.name === 'string' ? e.name : 'Error';
  return typeof e.code === 'string' ? `${type} ${e.code}` : type;
}

/** Replaces PHI- or secret-named fields at any depth (pino's redact paths stop at a fixed depth). */
export function scrub(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value !== 'object' || value === null || depth > 8) return value;
  if (value instanceof Error || value instanceof Date || Buffer.isBuffer(value)) return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1, seen));
  // Fastify's request and reply objects go to their serializers untouched.
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = PHI_SET.has(k.toLowerCase()) ? CENSOR : scrub(v, depth + 1, seen);
  return out;
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: CENSOR },
    formatters: {
      log: (obj) => scrub(obj) as Record<string, unknown>,
    },
    hooks: {
      // `log.error(err)` or `log.error({ err })` without a message would make err.message the line's msg.
      logMethod(args, method) {
        const [first, second] = args as unknown[];
        if (typeof second !== 'string') {
          if (first instanceof Error) return method.apply(this, [{ err: first }, errorLabel(first)]);
          const inner = (first as { err?: unknown } | undefined)?.err;
          if (inner instanceof Error) return method.apply(this, [first as object, errorLabel(inner)]);
        }
        return method.apply(this, args);
      },
    },
    serializers: {
      req(req: { method: string; url: string; id: string; ip?: string }) {
        return { method: req.method, url: safeUrl(req.url), id: req.id, ip: req.ip };
      },
      res(res: { statusCode: number }) {
        return { statusCode: res.statusCode };
      },
      err: safeErr,
    },
  };
}
