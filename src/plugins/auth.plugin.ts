// Bearer-key authentication, per-key rate limit and role checks. Keys are stored as SHA-256 hashes
// (they are random 256-bit secrets, so a fast hash is sufficient and lets the lookup use a unique
// index). Lookups are cached in memory (api-key-cache.ts) while this instance listens for key changes,
// so a revoked key is still refused on the very next request on every instance.
//
// Everything happens in onRequest, before the body is parsed or validated: a caller without a valid
// key learns nothing about a route's schema (401 comes before 400), and a role that may not act gets
// 403 whatever it sent. Whether a request needs a key is decided by the route pattern it matched, not
// by the raw URL, so an encoded path such as /%761/api-keys cannot slip past.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import type { Database } from '../db/prisma.ts';
import { AppError } from '../shared/errors.ts';
import { allowedRoles, isApiPath, isApiRoute, type Role } from './access-policy.ts';
import { ApiKeyCache, listenerClientFor, type CachedKey } from './api-key-cache.ts';
import { sealKeyFor } from './response-seal.ts';

export interface Actor {
  id: string;
  name: string;
  role: Role;
}

/** The bootstrap key from ADMIN_API_KEY has no row; audit events name it with this fixed id. */
export const BOOTSTRAP_ADMIN_ID = '00000000-0000-4000-8000-000000000000';

declare module 'fastify' {
  interface FastifyInstance {
    /** The key cache, or undefined when the app was built without one. */
    apiKeyCache: ApiKeyCache | undefined;
  }
  interface FastifyRequest {
    actor?: Actor;
    authFailure?: string;
    /** Seals this caller's stored idempotent responses; derived from its bearer secret (POST only). */
    sealKey?: Buffer;
  }
}

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** RFC 6750 b64token; generated keys are `esk_` + base64url. */
export const KEY_SYNTAX = /^[A-Za-z0-9_\-.~+/=]{8,200}$/;

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

export interface AuthOptions {
  db: Database;
  adminApiKey: string | undefined;
  /** Failed authentications allowed per client address per minute before 429. */
  authFailuresPerMinute: number;
  /** A second kind of bearer credential for some routes (the CDS Hooks JWT): `applies` picks the routes,
   * `verify` returns the actor, `{ failure }` (a reason safe to show the caller) when the token is refused,
   * or null when it is not a JWT at all (it is then tried as an API key). Its other errors (the database
   * down) propagate and are answered as such, never as a 401 carrying their message. */
  jwtBearer?:
    | { applies(routeUrl: string): boolean; verify(token: string, routeUrl: string): Promise<Actor | { failure: string } | null> }
    | undefined;
  /** Requests allowed per key per minute (on this instance) before 429; 0: no limit. */
  requestsPerKeyPerMinute: number;
  clock: () => Date;
  /** Serve key lookups from memory while listening for key changes (default on). */
  keyCache?: boolean | { retryMs?: number; heartbeatMs?: number };
}

/** A compact JWS: three base64url segments (an API key never has two dots in that shape and length). */
const JWT_SHAPE = /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}$/;

/** lastUsedAt is written at most this often per key and instance, off the request's path. */
const LAST_USED_EVERY_MS = 60_000;

interface KeyLookup {
  cache: ApiKeyCache | undefined;
  lastUsedWrites: Map<string, number>;
}

async function authenticate(request: FastifyRequest, opts: AuthOptions, lookup: KeyLookup): Promise<void> {
  const secret = await identify(request, opts, lookup);
  if (secret && request.method === 'POST') request.sealKey = sealKeyFor(secret);
}

async function findKey(opts: AuthOptions, lookup: KeyLookup, keyHash: string): Promise<CachedKey | undefined> {
  const cached = lookup.cache?.get(keyHash);
  if (cached) return cached;
  const generation = lookup.cache?.snapshot() ?? 0;
  // One prepared statement on the unique keyHash index rather than a Prisma query (same row, a
  // fraction of the CPU). Revoked keys are not returned, hence never cached.
  const { rows } = await opts.db.pool.query<CachedKey>({
    name: 'auth-api-key',
    text: 'SELECT id, name, role, "expiresAt" FROM api_keys WHERE "keyHash" = $1 AND "revokedAt" IS NULL',
    values: [keyHash],
  });
  const row = rows[0];
  if (row) lookup.cache?.set(keyHash, row, generation);
  return row;
}

/** Records that a key was used, at most once a minute per key, without holding the request. */
function touch(opts: AuthOptions, lookup: KeyLookup, request: FastifyRequest, id: string): void {
  const now = Date.now();
  const last = lookup.lastUsedWrites.get(id);
  if (last !== undefined && now - last < LAST_USED_EVERY_MS) return;
  if (lookup.lastUsedWrites.size > 10_000) lookup.lastUsedWrites.clear();
  lookup.lastUsedWrites.set(id, now);
  opts.db.pool
    .query({
      name: 'auth-api-key-used',
      text: 'UPDATE api_keys SET "lastUsedAt" = $2 WHERE id = $1 AND ("lastUsedAt" IS NULL OR "lastUsedAt" < $2)',
      values: [id, opts.clock()],
    })
    .catch((err: unknown) => request.log.debug({ err: { type: (err as Error).name } }, 'lastUsedAt not written'));
}

function bearerSecret(request: FastifyRequest): string | undefined {
  const key = /^Bearer +(\S+)$/i.exec((request.headers.authorization ?? '').trim())?.[1];
  return key && KEY_SYNTAX.test(key) ? key : undefined;
}

/** Sets request.actor and returns the presented secret when it is a valid key. */
async function identify(request: FastifyRequest, opts: AuthOptions, lookup: KeyLookup): Promise<string | undefined> {
  const header = request.headers.authorization;
  if (!header) {
    request.authFailure = 'Missing Authorization: Bearer <key> header';
    return undefined;
  }
  const route = request.is404 ? '' : (request.routeOptions.url ?? '');
  const token = /^Bearer +(\S+)$/i.exec(header.trim())?.[1];
  if (token && opts.jwtBearer?.applies(route) && JWT_SHAPE.test(token) && token.length <= 16_384) {
    const verdict = await opts.jwtBearer.verify(token, route);
    if (verdict && 'failure' in verdict) {
      request.authFailure = verdict.failure;
      return undefined;
    }
    if (verdict) {
      request.actor = verdict;
      return token;
    }
  }
  const key = bearerSecret(request);
  if (!key) {
    request.authFailure = 'Authorization header must be "Bearer <key>"';
    return undefined;
  }
  if (opts.adminApiKey && sameSecret(key, opts.adminApiKey)) {
    request.actor = { id: BOOTSTRAP_ADMIN_ID, name: 'bootstrap-admin', role: 'admin' };
    return key;
  }
  const row = await findKey(opts, lookup, hashKey(key));
  if (!row) {
    request.authFailure = 'The API key is not valid or has been revoked';
    return undefined;
  }
  // Checked on every use, cached or not: an expired key needs no notification.
  if (row.expiresAt && row.expiresAt.getTime() <= opts.clock().getTime()) {
    request.authFailure = 'The API key has expired';
    return undefined;
  }
  request.actor = { id: row.id, name: row.name, role: row.role };
  touch(opts, lookup, request, row.id);
  return key;
}

/** An unmatched URL (404) needs a key when its decoded path is under /v1, so unknown API paths
 * cannot be probed without one; matched routes are judged by their registered pattern. */
function needsKey(request: FastifyRequest): boolean {
  if (!request.is404) return isApiRoute(request.routeOptions.url ?? '');
  const raw = request.url.split('?')[0] ?? '';
  let path = raw;
  try {
    path = decodeURIComponent(raw);
  } catch {
    // A malformed escape: judge the raw path.
  }
  return isApiPath(path);
}

export default fp<AuthOptions>(
  async (app: FastifyInstance, opts) => {
    // The limiter counts only failed authentications, per client address: it is consulted after a
    // request failed to authenticate, so a valid key is never limited, even from a busy address.
    await app.register(rateLimit, { global: false });
    const failures = app.createRateLimit({ max: opts.authFailuresPerMinute, timeWindow: 60_000 });
    // Valid keys are limited per key (not per address: a clinic's desks share one), so a stolen key
    // cannot bulk-export at full speed. Counted in this instance's memory: N instances allow N times
    // the limit (docs/scaling.md).
    const perKey =
      opts.requestsPerKeyPerMinute > 0
        ? app.createRateLimit({
            max: opts.requestsPerKeyPerMinute,
            timeWindow: 60_000,
            keyGenerator: (request) => `key:${request.actor?.id ?? ''}`,
          })
        : undefined;

    const cacheOptions = opts.keyCache ?? true;
    const cache = cacheOptions
      ? new ApiKeyCache({
          client: listenerClientFor(opts.db.pool),
          log: app.log,
          ...(typeof cacheOptions === 'object' ? cacheOptions : {}),
        })
      : undefined;
    const lookup: KeyLookup = { cache, lastUsedWrites: new Map() };
    app.decorate('apiKeyCache', cache);
    if (cache) {
      app.addHook('onReady', async () => cache.start());
      app.addHook('onClose', async () => cache.close());
    }

    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (!needsKey(request)) return;
      await authenticate(request, opts, lookup);
      const actor = request.actor;
      if (actor && perKey) {
        const limit = await perKey(request);
        if (!limit.isAllowed) {
          reply.header('ratelimit-limit', String(limit.max));
          reply.header('ratelimit-remaining', String(limit.remaining));
          reply.header('ratelimit-reset', String(limit.ttlInSeconds));
          if (limit.isExceeded) {
            reply.header('retry-after', String(limit.ttlInSeconds));
            throw new AppError('REQUEST.RATE_LIMITED', `Too many requests with this API key; retry in ${limit.ttlInSeconds} s`);
          }
        }
      }
      if (!actor) {
        const limit = await failures(request);
        if (!limit.isAllowed && limit.isExceeded) {
          reply.header('retry-after', String(limit.ttlInSeconds));
          throw new AppError('AUTH.RATE_LIMITED', `Too many failed authentications from this address; retry in ${limit.ttlInSeconds} s`);
        }
        reply.header('www-authenticate', 'Bearer realm="esi-scheduler"');
        throw new AppError('AUTH.UNAUTHENTICATED', request.authFailure ?? 'Authentication required');
      }
      if (request.is404) return;
      const route = request.routeOptions.url ?? '';
      const roles = allowedRoles(request.method, route);
      // Fail closed: a route without a policy entry is refused to everyone.
      if (!roles?.includes(actor.role)) {
        throw new AppError('AUTH.FORBIDDEN', `Role ${actor.role} may not ${request.method} ${route}`);
      }
    });
  },
  { name: 'auth' },
);
