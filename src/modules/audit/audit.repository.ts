// Writes and reads audit events. Writes take the caller's transaction client so an audit row commits
// together with the change it describes, or not at all.
import type pg from 'pg';
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
  /** Every patient a list read showed: one event per list read, not one per patient. */
  patientIds?: readonly string[] | null;
  before?: unknown;
  after?: unknown;
}

type AuditWriter = { auditEvent: { createMany(args: { data: Prisma.AuditEventCreateManyInput[] }): Promise<unknown> } };

function toJson(v: unknown): Prisma.InputJsonValue | undefined {
  if (v === undefined || v === null) return undefined;
  return JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;
}

const distinct = (ids: readonly string[]) => [...new Set(ids)];

export function auditRow(ctx: RequestContext, e: AuditInput): Prisma.AuditEventCreateManyInput {
  return {
    actorId: ctx.actor.id,
    actorName: ctx.actor.name,
    actorRole: ctx.actor.role,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId ?? null,
    patientId: e.patientId ?? null,
    ...(e.patientIds ? { patientIds: distinct(e.patientIds) } : {}),
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

/** The one event of a list read: the patients it showed, in the order shown, each once. */
export function listReadEvent(action: string, entityType: string, patientIds: readonly string[], after?: unknown): AuditInput {
  return { action, entityType, patientIds: distinct(patientIds), after };
}

export interface AuditFilter {
  patientId?: string | undefined;
  actorId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Events with a smaller id than this (the cursor). */
  beforeId?: string | undefined;
  limit: number;
}

export interface AuditEventRow {
  id: string;
  at: Date;
  actorId: string | null;
  actorName: string;
  actorRole: string;
  action: string;
  entityType: string;
  entityId: string | null;
  patientId: string | null;
  patientIds: string[] | null;
  requestId: string | null;
  clientRequestId: string | null;
  before: unknown;
  after: unknown;
}

/** Newest first. A patient filter finds the events about that patient and every list read that showed
 * them: `"patientId" = $1 OR "patientIds" @> ARRAY[$1]`, a BitmapOr of the btree and the GIN index. */
export async function findAuditEvents(pool: pg.Pool, f: AuditFilter): Promise<AuditEventRow[]> {
  const values: unknown[] = [];
  const where: string[] = [];
  const param = (v: unknown) => `$${values.push(v)}`;
  if (f.patientId) {
    const p = param(f.patientId);
    where.push(`("patientId" = ${p}::uuid OR "patientIds" @> ARRAY[${p}::uuid])`);
  }
  if (f.actorId) where.push(`"actorId" = ${param(f.actorId)}::uuid`);
  if (f.from) where.push(`at >= ${param(f.from)}`);
  if (f.to) where.push(`at < ${param(f.to)}`);
  if (f.beforeId) where.push(`id < ${param(f.beforeId)}::bigint`);
  const { rows } = await pool.query<AuditEventRow>(
    `SELECT id::text AS id, at, "actorId"::text AS "actorId", "actorName", "actorRole"::text AS "actorRole", action, "entityType",
            "entityId", "patientId"::text AS "patientId", "patientIds"::text[] AS "patientIds", "requestId", "clientRequestId", before, after
       FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY audit_events.id DESC LIMIT ${param(f.limit)}`,
    values,
  );
  return rows;
}
