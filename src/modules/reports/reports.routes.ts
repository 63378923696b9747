import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { isoToDate } from '../../shared/dates.ts';
import { IsoDate, problems } from '../../shared/schemas.ts';

// Interim daily report: the day's injections by status. The full audit report replaces it.
export const reportsRoutes: FastifyPluginAsyncZod<Deps> = async (app, { db, config }) => {
  app.get('/reports/daily', {
    schema: { tags: ['reports'], summary: 'The daily audit report', querystring: z.object({ date: IsoDate }), response: { 200: z.looseObject({}), ...problems(400, 401, 403) } },
  }, async (request) => {
    const rows = await db.prisma.injection.groupBy({ by: ['status'], where: { localDate: isoToDate(request.query.date) }, _count: { _all: true } });
    return { date: request.query.date, timeZone: config.clinicTimeZone, byStatus: Object.fromEntries(rows.map((r) => [r.status, r._count._all])) };
  });
  app.get('/reports/runs', { schema: { tags: ['reports'], summary: 'Stored report runs', response: { 200: z.looseObject({}), ...problems(401, 403) } } }, async () => ({ items: [] }));
};
