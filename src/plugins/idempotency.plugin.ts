// Idempotency-Key on POST (IETF httpapi idempotency-key draft). Records live in PostgreSQL so a retry
// sent to another instance, or after a restart, replays the first answer. Keys are scoped to the API
// key that used them and expire after 24 h. Stored bodies are sealed (response-seal.ts): they may
// hold PHI or a new key's secret. A 5xx is not stored, so a retry runs again. The request hash is an
// HMAC under the server secret: the bodies hold patient data, and a plain digest of them could be
// confirmed by anyone holding a copy of the table and a guess.
import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../db/prisma.ts';
import { AppError } from '../shared/errors.ts';
import { sqlState } from '../shared/db-errors.ts';
import { seal, unseal } from './response-seal.ts';
import type { ResourceLoaders, ResourceType } from './idempotency-resource.ts';

const TTL_HOURS = 24;
/** An in-flight record older than this belongs to a request whose process died; a retry may take it over. */
const STALE_IN_FLIGHT_SECONDS = 60;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const PURGE_EVERY_MS = 15 * 60_000;

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyRecordId?: string;
    /** The parsed Idempotency-Key of this request, part of what its sealed reply is bound to. */
    idempotencyKey?: string;
  }
}

interface StoredRecord {
  id: string;
  requestHash: string;
  state: string;
  responseStatus: number | null;
  responseBody: string | null;
  responseType: string | null;
  resourceType: ResourceType | null;
  resourceId: string | null;
  stale: boolean;
}

/** Key order must not matter: {"a":1,"b":2} and {"b":2,"a":1} are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The draft defines the header as a Structured Field String (`"…"`, RFC 8941); a bare token is
 * accepted too (1-255 visible ASCII characters; a quoted one may also hold spaces). */
export function parseIdempotencyKey(header: string): string | undefined {
  const v = header.trim();
  let key = v;
  if (v.startsWith('"')) {
    const m = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/.exec(v);
    if (!m?.[1]) return undefined;
    key = m[1].replace(/\\(["\\])/g, '$1');
    return key.length <= 255 ? key : undefined;
  }
  return KEY_PATTERN.test(key) ? key : undefined;
}

/** Hashes are stored as `h1:<fingerprint of the secret>:<HMAC>`: a record hashed under another
 * secret (SERVER_SECRET changed) or by an older version (a bare SHA-256) is recognisable as such and
 * treated as unknown rather than as a different request. */
export function requestHasher(serverSecret: string): { prefix: string; hash: (request: FastifyRequest) => string } {
  const key = createHmac('sha256', serverSecret).update('esi-scheduler/idempotency-request/v1').digest();
  const prefix = `h1:${createHmac('sha256', key).update('fingerprint').digest('hex').slice(0, 8)}:`;
  return {
    prefix,
    hash: (request) => {
      const path = request.url.split('?')[0] ?? '';
      return (
        prefix +
        createHmac('sha256', key)
          .update(`${request.method} ${path}\n${canonical(request.body ?? null)}`)
          .digest('hex')
      );
    },
  };
}

export interface IdempotencyOptions {
  db: Database;
  /** Keys the request hashes; shared by every instance on the database. */
  serverSecret: string;
  resources?: Partial<ResourceLoaders>;
}

export default fp<IdempotencyOptions>(
  async (app: FastifyInstance, { db, serverSecret, resources = {} }) => {
    const hasher = requestHasher(serverSecret);
    // Expired keys are removed on reuse; this sweep keeps keys nobody retries from piling up.
    const purge = () => {
      db.pool
        .query(`DELETE FROM idempotency_records WHERE id IN (SELECT id FROM idempotency_records WHERE "expiresAt" < now() LIMIT 5000)`)
        .catch((err: unknown) => app.log.warn({ err }, 'idempotency purge failed'));
    };
    const timer = setInterval(purge, PURGE_EVERY_MS);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));

    app.addHook('preHandler', async (request, reply) => {
      if (request.method !== 'POST' || !request.actor) return;
      const header = request.headers['idempotency-key'];
      if (header === undefined) return;
      const key = parseIdempotencyKey(Array.isArray(header) ? (header[0] ?? '') : header);
      if (!key) {
        throw new AppError('IDEMPOTENCY.INVALID_KEY', 'Idempotency-Key must be 1-255 visible ASCII characters', {
          errors: [{ path: 'headers.idempotency-key', message: 'must be 1-255 visible ASCII characters' }],
        });
      }
      const hash = hasher.hash(request);
      const scope = request.actor.id;
      request.idempotencyKey = key;
      for (let attempt = 0; attempt < 3; attempt++) {
        const inserted = await db.pool.query<{ id: string }>(
          `INSERT INTO idempotency_records (id, "apiKeyId", key, "requestHash", method, path, state, "expiresAt")
           VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, 'in_flight', now() + make_interval(hours => ${TTL_HOURS}))
           ON CONFLICT ("apiKeyId", key) DO NOTHING RETURNING id`,
          [scope, key, hash, request.method, (request.url.split('?')[0] ?? '').slice(0, 500)],
        );
        if (inserted.rows[0]) {
          request.idempotencyRecordId = inserted.rows[0].id;
          return;
        }
        const found = await db.pool.query<StoredRecord & { expired: boolean }>(
          `SELECT id, "requestHash", state, "responseStatus", "responseBody", "responseType", "resourceType", "resourceId",
                  "expiresAt" < now() AS expired,
                  "createdAt" < now() - make_interval(secs => ${STALE_IN_FLIGHT_SECONDS}) AS stale
             FROM idempotency_records WHERE "apiKeyId" = $1 AND key = $2`,
          [scope, key],
        );
        const rec = found.rows[0];
        if (!rec) continue; // deleted between the two statements: try the insert again
        if (rec.expired) {
          await db.pool.query('DELETE FROM idempotency_records WHERE id = $1 AND "expiresAt" < now()', [rec.id]);
          continue;
        }
        const comparable = rec.requestHash.startsWith(hasher.prefix);
        if (!comparable && rec.state === 'completed') {
          // Hashed under another secret or by an older version: its request cannot be compared, and
          // its reply was sealed without binding: forget it, the key starts afresh.
          await db.pool.query('DELETE FROM idempotency_records WHERE id = $1', [rec.id]);
          continue;
        }
        if (comparable && rec.requestHash !== hash) {
          throw new AppError('IDEMPOTENCY.KEY_REUSED', 'This Idempotency-Key was already used with a different request body or path');
        }
        if (rec.state === 'completed' && rec.responseStatus !== null) {
          const binding = { recordId: rec.id, apiKeyId: scope, key };
          const body = request.sealKey && rec.responseBody !== null ? unseal(request.sealKey, binding, rec.responseBody) : undefined;
          if (body === undefined) {
            // Sealed under a credential that is no longer this one (ADMIN_API_KEY rotated), for another
            // record, or by an older version: cannot be replayed, so the key starts afresh.
            await db.pool.query('DELETE FROM idempotency_records WHERE id = $1', [rec.id]);
            continue;
          }
          return reply
            .code(rec.responseStatus)
            .header('idempotent-replayed', 'true')
            .type(rec.responseType ?? 'application/json; charset=utf-8')
            .send(body);
        }
        if (rec.stale) {
          const taken = await db.pool.query(
            `UPDATE idempotency_records SET "createdAt" = now(), "requestHash" = $2 WHERE id = $1 AND state = 'in_flight'
               AND "createdAt" < now() - make_interval(secs => ${STALE_IN_FLIGHT_SECONDS})`,
            [rec.id, hash],
          );
          if (taken.rowCount === 1) {
            request.idempotencyRecordId = rec.id;
            // The first attempt committed its resource but died before storing its answer: answer
            // with that resource (and store it) rather than creating it a second time.
            const load = rec.resourceType && rec.resourceId ? resources[rec.resourceType] : undefined;
            const resource = load && rec.resourceId ? await load(rec.resourceId) : null;
            if (resource) return reply.code(201).header('idempotent-replayed', 'true').send(resource);
            return;
          }
        }
        reply.header('retry-after', '1');
        throw new AppError('IDEMPOTENCY.IN_FLIGHT', 'A request with this Idempotency-Key is still being processed; retry shortly');
      }
      reply.header('retry-after', '1');
      throw new AppError('IDEMPOTENCY.IN_FLIGHT', 'The Idempotency-Key is contended; retry shortly');
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const id = request.idempotencyRecordId;
      if (!id) return payload;
      request.idempotencyRecordId = undefined;
      // A 5xx is not an answer to remember: the client may retry with the same key.
      const key = request.idempotencyKey;
      if (reply.statusCode >= 500 || typeof payload !== 'string' || !request.sealKey || !request.actor || key === undefined) {
        // Unless the create committed after all (its resource is linked: the connection dropped during
        // COMMIT, say): then the record is left for the next retry to take over at once and be answered
        // with that resource.
        await db.pool
          .query(
            `WITH kept AS (UPDATE idempotency_records SET "createdAt" = now() - make_interval(secs => ${STALE_IN_FLIGHT_SECONDS + 1})
                            WHERE id = $1 AND "resourceId" IS NOT NULL RETURNING id)
             DELETE FROM idempotency_records WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM kept)`,
            [id],
          )
          .catch(() => undefined);
        return payload;
      }
      // The change itself is committed: if the answer cannot be stored (the database went away just
      // now), the client still gets it. The record stays in flight and, once stale, a retry takes it over
      // (a create is then answered with its linked resource).
      await db.pool
        .query(
          `UPDATE idempotency_records SET state = 'completed', "responseStatus" = $2, "responseBody" = $3, "responseType" = $4 WHERE id = $1`,
          [
            id,
            reply.statusCode,
            seal(request.sealKey, { recordId: id, apiKeyId: request.actor.id, key }, payload),
            String(reply.getHeader('content-type') ?? 'application/json'),
          ],
        )
        .catch((err: unknown) => request.log.warn({ sqlState: sqlState(err) }, 'idempotent answer not stored'));
      return payload;
    });
  },
  { name: 'idempotency', dependencies: ['auth'] },
);
