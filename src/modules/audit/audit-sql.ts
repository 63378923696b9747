// The audit insert as a fragment of a larger statement, for hot reads that write their audit row in the
// same round trip as the read (a data-modifying CTE): the row commits with the statement, before the
// answer is sent, exactly as writeAudit would; a failed insert fails the read.
import type { RequestContext } from './audit.repository.ts';

/** The columns AUDIT_ACTOR_PARAMS fills, in its order. */
export const AUDIT_ACTOR_COLUMNS = `"actorId", "actorName", "actorRole", "requestId", "clientRequestId"`;

/** Parameters $2..$5 of every fused statement are the actor and the request ids, in this order. $5
 * carries both ids as "<server id> <client id>": neither may hold a space (both match
 * [A-Za-z0-9._-]), and the statements keep their numbering. */
export const AUDIT_ACTOR_PARAMS = `$2::uuid, $3::varchar, $4::"Role", split_part($5::varchar, ' ', 1), NULLIF(split_part($5::varchar, ' ', 2), '')`;

export const AUDIT_INSERT = `INSERT INTO audit_events (${AUDIT_ACTOR_COLUMNS}, action, "entityType", "entityId", "patientId")`;

export const auditActorValues = (ctx: RequestContext): string[] => [
  ctx.actor.id,
  ctx.actor.name,
  ctx.actor.role,
  `${ctx.requestId} ${ctx.clientRequestId ?? ''}`,
];
