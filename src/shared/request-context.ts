import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../modules/audit/audit.repository.ts';
import { AppError } from './errors.ts';

export function ctxOf(request: FastifyRequest): RequestContext {
  if (!request.actor) throw new AppError('AUTH.UNAUTHENTICATED', 'Authentication required');
  return { actor: request.actor, requestId: String(request.id), idempotencyRecordId: request.idempotencyRecordId };
}
