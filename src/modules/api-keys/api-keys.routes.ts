// API keys: the secret is returned once at creation and stored only as a SHA-256 hash.
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { hashKey } from '../../plugins/auth.plugin.ts';
import { ROLES } from '../../plugins/access-policy.ts';
import { writeAudit } from '../audit/audit.repository.ts';
import { AppError } from '../../shared/errors.ts';
import { ctxOf } from '../../shared/request-context.ts';
import { IdParams, problems } from '../../shared/schemas.ts';

const CreateKeyBody = z
  .strictObject({ name: z.string().trim().min(1).max(100), role: z.enum(ROLES) })
  .meta({ example: { name: 'front-desk-1', role: 'front_desk' } });
const KeyDto = z.object({
  id: z.uuid(),
  name: z.string(),
  role: z.enum(ROLES),
  prefix: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
const CreatedKeyDto = KeyDto.extend({ key: z.string().describe('the secret; shown only in this response') });

export const generateKey = () => `esk_${randomBytes(32).toString('base64url')}`;

const select = { id: true, name: true, role: true, prefix: true, createdAt: true, revokedAt: true } as const;
const toDto = (r: { id: string; name: string; role: (typeof ROLES)[number]; prefix: string; createdAt: Date; revokedAt: Date | null }) => ({
  ...r,
  createdAt: r.createdAt.toISOString(),
  revokedAt: r.revokedAt ? r.revokedAt.toISOString() : null,
});

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
      const key = generateKey();
      const row = await db.prisma.$transaction(async (tx) => {
        const created = await tx.apiKey.create({
          data: {
            name: request.body.name,
            role: request.body.role,
            keyHash: hashKey(key),
            prefix: key.slice(0, 12),
            createdById: ctx.actor.id,
          },
          select,
        });
        await writeAudit(tx, ctx, { action: 'api_key.create', entityType: 'api_key', entityId: created.id, after: toDto(created) });
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
      await db.prisma.$transaction(async (tx) => {
        const before = await tx.apiKey.findUnique({ where: { id: request.params.id }, select });
        if (!before) throw new AppError('API_KEY.NOT_FOUND', 'API key not found');
        const after = before.revokedAt
          ? before
          : await tx.apiKey.update({ where: { id: before.id }, data: { revokedAt: clock() }, select });
        await writeAudit(tx, ctx, {
          action: 'api_key.revoke',
          entityType: 'api_key',
          entityId: before.id,
          before: toDto(before),
          after: toDto(after),
        });
      });
      return reply.code(204).send(null);
    },
  );
};
