// Bearer-key authentication and role checks. Keys are stored as SHA-256 hashes (they are random
// 256-bit secrets, so a fast hash is sufficient and lets the lookup use a unique index). No cache: a
// revoked key is refused on the very next request on every instance.
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
import { sealKeyFor } from './response-seal.ts';

export interface Actor {
  id: string;
  name: string;
  role: Role;
}

/** The bootstrap key from ADMIN_API_KEY has no row; audit events name it with this fixed id. */
export const BOOTSTRAP_ADMIN_ID = '00000000-0000-4000-8000-000000000000';

declare module 'fastify' {
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
}

/** A compact JWS: three base64url segments (an API key never has two dots in that shape and length). */
const JWT_SHAPE = /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}$/;

async function authenticate(request: FastifyRequest, opts: AuthOptions): Promise<void> {
  const secret = await identify(request, opts);
  if (secret && request.method === 'POST') request.sealKey = sealKeyFor(secret);
}

function bearerSecret(request: FastifyRequest): string | undefined {
  const key = /^Bearer +(\S+)$/i.exec((request.headers.authorization ?? '').trim())?.[1];
  return key && KEY_SYNTAX.test(key) ? key : undefined;
}

/** Sets request.actor and returns the presented secret when it is a valid key. */
async function identify(request: FastifyRequest, opts: AuthOptions): Promise<string | undefined> {
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
  // Every request pays this lookup, so it is one prepared statement on the unique keyHash index rather
  // than a Prisma query (same row, a fraction of the CPU).
  const { rows } = await opts.db.pool.query<{ id: string; name: string; role: Role; revokedAt: Date | null }>({
    name: 'auth-api-key',
    text: 'SELECT id, name, role, "revokedAt" FROM api_keys WHERE "keyHash" = $1',
    values: [hashKey(key)],
  });
  const row = rows[0];
  if (!row || row.revokedAt) {
    request.authFailure = 'The API key is not valid or has been revoked';
    return undefined;
  }
  request.actor = { id: row.id, name: row.name, role: row.role };
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

    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (!needsKey(request)) return;
      await authenticate(request, opts);
      const actor = request.actor;
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
