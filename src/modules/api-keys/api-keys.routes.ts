// API keys: the secret is returned once at creation and stored only as a SHA-256 hash. A key may
// carry an expiry (401 from then on); its last use is recorded about once a minute by the auth plugin.
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { hashKey } from '../../plugins/auth.plugin.ts';
import { ROLES } from '../../plugins/access-policy.ts';
import { writeAudit } from '../audit/audit.repository.ts';
import { AppError } from '../../shared/errors.ts';
import { ctxOf } from '../../shared/request-context.ts';
import { IdParams, Instant, problems } from '../../shared/schemas.ts';

const CreateKeyBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    role: z.enum(ROLES),
    expiresAt: Instant.optional().describe('when the key stops working (401 from then on); must be in the future; default: never'),
  })
  .meta({ example: { name: 'front-desk-1', role: 'front_desk', expiresAt: '2027-12-31T23:59:59Z' } });
const KeyDto = z.object({
  id: z.uuid(),
  name: z.string(),
  role: z.enum(ROLES),
  prefix: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable().describe('recorded at most about once a minute per key and instance'),
});
const CreatedKeyDto = KeyDto.extend({ key: z.string().describe('the secret; shown only in this response') });

export const generateKey = () => `esk_${randomBytes(32).toString('base64url')}`;

const select = {
  id: true,
  name: true,
  role: true,
  prefix: true,
  createdAt: true,
  revokedAt: true,
  expiresAt: true,
  lastUsedAt: true,
} as const;
interface KeyRow {
  id: string;
  name: string;
  role: (typeof ROLES)[number];
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const toDto = (r: KeyRow) => ({
  ...r,
  createdAt: r.createdAt.toISOString(),
  revokedAt: iso(r.revokedAt),
  expiresAt: iso(r.expiresAt),
  lastUsedAt: iso(r.lastUsedAt),
});
/** The audit row leaves out lastUsedAt: it is usage, not a change anyone made. */
const auditDto = ({ lastUsedAt: _used, ...r }: KeyRow) => toDto({ ...r, lastUsedAt: null });

export const apiKeysRoutes: FastifyPluginAsyncZod<Deps> = async (app, { db, clock }) => {
  const tags = ['api-keys'];

  app.post(
    '/api-keys',
    {
      schema: {
        tags,
        summary: 'Issue an API key for a role',
        body: CreateKeyBody,
        response: { 201: CreatedKeyDto, ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const expiresAt = request.body.expiresAt ? new Date(request.body.expiresAt) : null;
      if (expiresAt && expiresAt.getTime() <= clock().getTime()) {
        throw new AppError('REQUEST.VALIDATION', 'expiresAt must be in the future', {
          errors: [{ path: 'body.expiresAt', message: 'must be in the future' }],
        });
      }
      const key = generateKey();
      const row = await db.prisma.$transaction(async (tx) => {
        const created = await tx.apiKey.create({
          data: {
            name: request.body.name,
            role: request.body.role,
            keyHash: hashKey(key),
            prefix: key.slice(0, 12),
            createdById: ctx.actor.id,
            expiresAt,
          },
          select,
        });
        await writeAudit(tx, ctx, { action: 'api_key.create', entityType: 'api_key', entityId: created.id, after: auditDto(created) });
        return created;
      });
      return reply.code(201).send({ ...toDto(row), key });
    },
  );

  app.get(
    '/api-keys',
    {
      schema: {
        tags,
        summary: 'List API keys (never their secrets)',
        response: { 200: z.object({ items: z.array(KeyDto) }), ...problems(401, 403) },
      },
    },
    async () => ({ items: (await db.prisma.apiKey.findMany({ select, orderBy: { createdAt: 'asc' } })).map(toDto) }),
  );

  app.delete(
    '/api-keys/:id',
    {
      schema: {
        tags,
        summary: 'Revoke an API key; it is refused (401) from the next request on',
        params: IdParams,
        response: { 204: z.null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      // Listening starts before the commit: the notification may arrive before the commit's reply.
      const heard = app.apiKeyCache?.notified(request.params.id);
      const revoked = await db.prisma.$transaction(async (tx) => {
        const before = await tx.apiKey.findUnique({ where: { id: request.params.id }, select });
        if (!before) throw new AppError('API_KEY.NOT_FOUND', 'API key not found');
        const after = before.revokedAt
          ? before
          : await tx.apiKey.update({ where: { id: before.id }, data: { revokedAt: clock() }, select });
        await writeAudit(tx, ctx, {
          action: 'api_key.revoke',
          entityType: 'api_key',
          entityId: before.id,
          before: auditDto(before),
          after: auditDto(after),
        });
        return !before.revokedAt;
      });
      // Answer once this instance has heard the key's change notification: every instance's listener
      // receives it from the same commit, so the key is refused from the caller's next request on.
      if (revoked) await heard;
      return reply.code(204).send(null);
    },
  );
};
