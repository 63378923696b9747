// Writes and reads audit events. Writes take the caller's transaction client so an audit row commits
// together with the change it describes, or not at all.
import type { Prisma } from '../../generated/prisma/client.ts';
import type { Actor } from '../../plugins/auth.plugin.ts';

export interface RequestContext {
  actor: Actor;
  /** The server's own id for the request. */
  requestId: string;
  /** A well-formed X-Request-Id the client sent, kept for correlation only. */
  clientRequestId?: string | undefined;
  /** The Idempotency-Key record of this request, if any: a create links its resource to it in the
   * same transaction (see idempotency.plugin.ts). */
  idempotencyRecordId?: string | undefined;
}

export interface AuditInput {
  action: string;
  entityType: string;
  entityId?: string | null;
  patientId?: string | null;
  before?: unknown;
  after?: unknown;
}

type AuditWriter = { auditEvent: { createMany(args: { data: Prisma.AuditEventCreateManyInput[] }): Promise<unknown> } };

function toJson(v: unknown): Prisma.InputJsonValue | undefined {
  if (v === undefined || v === null) return undefined;
  return JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;
}

export function auditRow(ctx: RequestContext, e: AuditInput): Prisma.AuditEventCreateManyInput {
  return {
    actorId: ctx.actor.id,
    actorName: ctx.actor.name,
    actorRole: ctx.actor.role,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId ?? null,
    patientId: e.patientId ?? null,
    requestId: ctx.requestId,
    clientRequestId: ctx.clientRequestId ?? null,
    before: toJson(e.before),
    after: toJson(e.after),
  };
}

export async function writeAudit(db: AuditWriter, ctx: RequestContext, events: AuditInput | AuditInput[]): Promise<void> {
  const list = Array.isArray(events) ? events : [events];
  if (list.length === 0) return;
  await db.auditEvent.createMany({ data: list.map((e) => auditRow(ctx, e)) });
}
