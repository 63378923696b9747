import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../shared/errors.ts';
import { ctxOf } from '../../shared/request-context.ts';
import { Instant, PageQuery, Uuid, decodeCursor, encodeCursor, problems } from '../../shared/schemas.ts';
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
    requestId: z.string().nullable(),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
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
      const cursor = decodeCursor(q.cursor);
      if (cursor !== undefined && !/^\d{1,19}$/.test(cursor)) {
        throw new AppError('REQUEST.VALIDATION', 'cursor is not valid', {
          errors: [{ path: 'querystring.cursor', message: 'is not a cursor returned by this endpoint' }],
        });
      }
      const rows = await findAuditEvents(db.pool, {
        patientId: q.patientId,
        actorId: q.actorId,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        beforeId: cursor,
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
