// The audit writer for pg connections (the scheduling write path): one INSERT for any number of
// events, on the caller's transaction connection, so each event commits with the change it records or
// not at all. The Prisma twin (writeAudit in audit.repository.ts) serves the Prisma paths.
import type pg from 'pg';
import type { AuditInput, RequestContext } from './audit.repository.ts';

const INSERT_EVENTS_SQL = `INSERT INTO audit_events ("actorId", "actorName", "actorRole", "requestId", "clientRequestId", action, "entityType", "entityId", "patientId", before, after)
  SELECT $1::uuid, $2::varchar, $3::"Role", $4::varchar, $6::varchar, e.action, e."entityType", e."entityId", e."patientId", e.before, e.after
    FROM jsonb_to_recordset($5::jsonb) AS e(action varchar, "entityType" varchar, "entityId" varchar, "patientId" uuid, before jsonb, after jsonb)`;

export async function appendAudit(q: Pick<pg.ClientBase, 'query'>, ctx: RequestContext, events: AuditInput | AuditInput[]): Promise<void> {
  const list = Array.isArray(events) ? events : [events];
  if (list.length === 0) return;
  const rows = list.map((e) => ({
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId ?? null,
    patientId: e.patientId ?? null,
    before: e.before ?? null,
    after: e.after ?? null,
  }));
  await q.query({
    name: 'audit-append',
    text: INSERT_EVENTS_SQL,
    values: [ctx.actor.id, ctx.actor.name, ctx.actor.role, ctx.requestId, JSON.stringify(rows), ctx.clientRequestId ?? null],
  });
}
