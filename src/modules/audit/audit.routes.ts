import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { ctxOf } from '../../shared/request-context.ts';
import { Instant, PageQuery, Uuid, bigintCursor, encodeCursor, problems, readCursor } from '../../shared/schemas.ts';
import { writeAudit } from './audit.repository.ts';

const Query = z.object({
  patientId: Uuid.optional(),
  actorId: Uuid.optional(),
  from: Instant.optional().describe('events at or after this instant'),
  to: Instant.optional().describe('events before this instant'),
  ...PageQuery,
});

const EventDto = z
  .object({
    id: z.string(),
    at: z.string(),
    actorId: z.string().nullable(),
    actorName: z.string(),
    actorRole: z.string(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    patientId: z.string().nullable(),
    requestId: z.string().nullable().describe("the server's id for the request (its X-Request-Id response header)"),
    clientRequestId: z.string().nullable().describe('the X-Request-Id the client sent, when it was well-formed'),
    before: z.unknown().describe('the entity before a change (JSON), or null'),
    after: z.unknown().describe('the entity after a change, or what a read or refusal concerned (JSON), or null'),
  })
  .meta({ id: 'AuditEvent' });

export const auditRoutes: FastifyPluginAsyncZod<Deps> = async (app, { db }) => {
  app.get(
    '/audit-events',
    {
      schema: {
        tags: ['audit'],
        summary: 'Who read or changed what, newest first',
        querystring: Query,
        response: { 200: z.object({ items: z.array(EventDto), nextCursor: z.string().nullable() }), ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      const cursor = readCursor(q.cursor, bigintCursor);
      const where: Prisma.AuditEventWhereInput = {
        ...(q.patientId ? { patientId: q.patientId } : {}),
        ...(q.actorId ? { actorId: q.actorId } : {}),
        ...(q.from || q.to ? { at: { ...(q.from ? { gte: new Date(q.from) } : {}), ...(q.to ? { lt: new Date(q.to) } : {}) } } : {}),
        ...(cursor ? { id: { lt: cursor } } : {}),
      };
      const rows = await db.prisma.auditEvent.findMany({ where, orderBy: { id: 'desc' }, take: q.limit + 1 });
      const page = rows.slice(0, q.limit);
      // Reading the trail is itself a read of patient data when it is filtered to a patient.
      await writeAudit(db.prisma, ctxOf(request), {
        action: 'audit.read',
        entityType: 'audit_event',
        patientId: q.patientId ?? null,
        after: { filters: { patientId: q.patientId, actorId: q.actorId, from: q.from, to: q.to } },
      });
      const last = page[page.length - 1];
      return {
        items: page.map((r) => ({ ...r, id: r.id.toString(), at: r.at.toISOString(), before: r.before ?? null, after: r.after ?? null })),
        nextCursor: rows.length > q.limit && last ? encodeCursor(last.id.toString()) : null,
      };
    },
  );
};
