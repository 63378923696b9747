// Links a created resource to the request's Idempotency-Key record inside the creating transaction.
// If the process dies after COMMIT but before the answer is stored, the record stays in flight; a retry
// that takes it over then answers with the committed resource (idempotency.plugin.ts) instead of
// running the create again, which would refuse the booking as clashing with itself.
import type pg from 'pg';
import type { Prisma } from '../generated/prisma/client.ts';
import type { RequestContext } from '../modules/audit/audit.repository.ts';

export type ResourceType = 'injection' | 'patient' | 'episode';

const LINK_SQL = 'UPDATE idempotency_records SET "resourceType" = $2, "resourceId" = $3::uuid WHERE id = $1::uuid';

export async function linkResourcePg(client: pg.ClientBase, ctx: RequestContext, type: ResourceType, id: string): Promise<void> {
  if (!ctx.idempotencyRecordId) return;
  await client.query(LINK_SQL, [ctx.idempotencyRecordId, type, id]);
}

export async function linkResource(tx: Prisma.TransactionClient, ctx: RequestContext, type: ResourceType, id: string): Promise<void> {
  if (!ctx.idempotencyRecordId) return;
  await tx.idempotencyRecord.updateMany({ where: { id: ctx.idempotencyRecordId }, data: { resourceType: type, resourceId: id } });
}

/** Loads the current representation of a linked resource, or null when it is gone. */
export type ResourceLoaders = Record<ResourceType, (id: string) => Promise<unknown>>;
