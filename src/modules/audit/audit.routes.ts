import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { ctxOf } from '../../shared/request-context.ts';
import { Instant, PageQuery, Uuid, bigintCursor, encodeCursor, problems, readCursor } from '../../shared/schemas.ts';
import { findAuditEvents, listReadEvent, writeAudit } from './audit.repository.ts';

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
    patientIds: z.array(z.string()).nullable().describe('every patient a list read showed (one event per list read)'),
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
      const rows = await findAuditEvents(db.pool, {
        patientId: q.patientId,
        actorId: q.actorId,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        beforeId: cursor === undefined ? undefined : cursor.toString(),
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      // Reading the trail is itself a read of patient data: one event naming every patient the page
      // shows (and, filtered to a patient, that patient).
      const shown = page.flatMap((r) => [...(r.patientId ? [r.patientId] : []), ...(r.patientIds ?? [])]);
      await writeAudit(db.prisma, ctxOf(request), {
        ...listReadEvent('audit.read', 'audit_event', shown, {
          filters: { patientId: q.patientId, actorId: q.actorId, from: q.from, to: q.to },
        }),
        patientId: q.patientId ?? null,
      });
      const last = page[page.length - 1];
      return {
        items: page.map((r) => ({ ...r, at: r.at.toISOString(), before: r.before ?? null, after: r.after ?? null })),
        nextCursor: rows.length > q.limit && last ? encodeCursor(last.id) : null,
      };
    },
  );
};
