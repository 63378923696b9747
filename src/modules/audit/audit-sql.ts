// The audit insert as a fragment of a larger statement, for hot reads that write their audit row in the
// same round trip as the read (a data-modifying CTE): the row commits with the statement, before the
// answer is sent, exactly as writeAudit would; a failed insert fails the read.
import type { RequestContext } from './audit.repository.ts';

/** Parameters $2..$5 of every fused statement are the actor and the request id, in this order. */
export const AUDIT_ACTOR_PARAMS = `$2::uuid, $3::varchar, $4::"Role", $5::varchar`;

export const AUDIT_INSERT = `INSERT INTO audit_events ("actorId", "actorName", "actorRole", "requestId", action, "entityType", "entityId", "patientId")`;

export const auditActorValues = (ctx: RequestContext): string[] => [ctx.actor.id, ctx.actor.name, ctx.actor.role, ctx.requestId];
