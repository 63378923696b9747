// Bearer-key authentication and role checks. Keys are stored as SHA-256 hashes (they are random
// 256-bit secrets, so a fast hash is sufficient and lets the lookup use a unique index). No cache: a
// revoked key is refused on the very next request on every instance.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import type { Database } from '../db/prisma.ts';
import { AppError } from '../shared/errors.ts';
import { allowedRoles, type Role } from './access-policy.ts';

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
  }
}

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

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
}

async function authenticate(request: FastifyRequest, opts: AuthOptions): Promise<void> {
  const header = request.headers.authorization;
  if (!header) {
    request.authFailure = 'Missing Authorization: Bearer <key> header';
    return;
  }
  const match = /^Bearer ([A-Za-z0-9_\-.~+/=]{8,200})$/i.exec(header.trim());
  if (!match?.[1]) {
    request.authFailure = 'Authorization header must be "Bearer <key>"';
    return;
  }
  const key = match[1];
  if (opts.adminApiKey && sameSecret(key, opts.adminApiKey)) {
    request.actor = { id: BOOTSTRAP_ADMIN_ID, name: 'bootstrap-admin', role: 'admin' };
    return;
  }
  const row = await opts.db.prisma.apiKey.findUnique({
    where: { keyHash: hashKey(key) },
    select: { id: true, name: true, role: true, revokedAt: true },
  });
  if (!row || row.revokedAt) {
    request.authFailure = 'The API key is not valid or has been revoked';
    return;
  }
  request.actor = { id: row.id, name: row.name, role: row.role };
}

export default fp<AuthOptions>(
  async (app: FastifyInstance, opts) => {
    app.addHook('onRequest', async (request) => {
      if (!request.url.startsWith('/v1/') && request.url !== '/v1') return;
      await authenticate(request, opts);
    });
    // Counts only requests that failed authentication: a valid key is never rate limited here.
    await app.register(rateLimit, {
      global: true,
      hook: 'preHandler',
      max: opts.authFailuresPerMinute,
      timeWindow: 60_000,
      allowList: (request) => request.actor !== undefined || !request.url.startsWith('/v1'),
      errorResponseBuilder: (_req, ctx) =>
        new AppError('AUTH.RATE_LIMITED', `Too many failed authentications; retry in ${Math.ceil(ctx.ttl / 1000)} s`),
    });
    app.addHook('preHandler', async (request) => {
      if (!request.url.startsWith('/v1')) return;
      if (request.is404 && request.actor) return;
      if (!request.actor) throw new AppError('AUTH.UNAUTHENTICATED', request.authFailure ?? 'Authentication required');
      const roles = allowedRoles(request.method, request.routeOptions.url ?? '');
      // Fail closed: a route without a policy entry is refused to everyone.
      if (!roles?.includes(request.actor.role)) {
        throw new AppError('AUTH.FORBIDDEN', `Role ${request.actor.role} may not ${request.method} ${request.routeOptions.url ?? request.url}`);
      }
    });
  },
  { name: 'auth' },
);
