// GET /v1/reports/daily (JSON, or CSV sections with Accept: text/csv or ?format=csv) and
// GET /v1/reports/runs. Reading a report is an audited read: it lists patients by MRN.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { ctxOf } from '../../shared/request-context.ts';
import { Uuid, encodeCursor, problems, readCursor } from '../../shared/schemas.ts';
import { writeAudit } from '../audit/audit.repository.ts';
import { csvStream } from './report-csv.ts';
import { reportFileNames } from './report-producer.ts';
import { listRuns } from './report-runs.repository.ts';
import { buildDailyReport } from './report.service.ts';
import { DailyQuery, DailyReport, RunsPage, RunsQuery } from './report.schemas.ts';

/** True when the Accept header ranks text/csv above application/json (q-values honoured). */
export function prefersCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  let csv = 0;
  let json = 0;
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) || 0 : 1;
    if (type === 'text/csv') csv = Math.max(csv, q);
    else if (type === 'application/json') json = Math.max(json, q);
  }
  return csv > 0 && csv > json;
}

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([0-9a-f-]{36})$/;

export const reportsRoutes: FastifyPluginAsyncZod<Deps> = async (app, { db, config, clock }) => {
  app.get(
    '/reports/daily',
    {
      schema: {
        tags: ['reports'],
        summary: 'The daily audit report for one clinic-local date',
        description:
          'JSON by default; `Accept: text/csv` (or `format=csv`) streams the same content as CSV sections: `section,<name>`, a header row, the rows, a blank line. ' +
          "Covers the date's injections, R1 exemptions used (flagged when recorded under 24 h before the booking), integrity checks over all data, overdue outcomes, " +
          'no-shows and cancellations, and patients carrying clinical flags. Each read is recorded in the audit trail.',
        querystring: DailyQuery,
        response: {
          200: {
            description: 'The report',
            content: {
              'application/json': { schema: DailyReport },
              'text/csv': { schema: z.string().describe('CSV sections of the same content (see the description)') },
            },
          },
          ...problems(400, 401, 403, 503),
        },
      },
    },
    async (request, reply) => {
      const { date, format } = request.query;
      const csv = format === 'csv' || (format === undefined && prefersCsv(request.headers.accept));
      const report = await buildDailyReport(db.reportPool, { date, zone: config.clinicTimeZone, now: clock() });
      await writeAudit(db.prisma, ctxOf(request), { action: 'report.read', entityType: 'report', entityId: date, after: { date } });
      reply.header('cache-control', 'no-store');
      if (!csv) return report;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${reportFileNames(date).csv}"`)
        .send(csvStream(report) as unknown as z.infer<typeof DailyReport>);
    },
  );

  app.get(
    '/reports/runs',
    {
      schema: {
        tags: ['reports'],
        summary:
          'Stored report runs (CLI and nightly), newest first, with status, totals and whether a re-run differed from the previous run',
        querystring: RunsQuery,
        response: { 200: RunsPage, ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const { date, limit, cursor } = request.query;
      const after = readCursor(cursor, (text) => {
        const m = CURSOR.exec(text);
        const at = m?.[1] ? new Date(m[1]) : undefined;
        if (!m?.[2] || !at || Number.isNaN(at.getTime()) || at.toISOString() !== m[1] || !Uuid.safeParse(m[2]).success) return undefined;
        return { startedAt: m[1], id: m[2] };
      });
      const rows = await listRuns(db.pool, { date, limit: limit + 1, after });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return { items: page, nextCursor: rows.length > limit && last ? encodeCursor(`${last.startedAt}|${last.id}`) : null };
    },
  );
};
