import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../modules/audit/audit.repository.ts';
import { AppError } from './errors.ts';

/** What a client may send as X-Request-Id to correlate its own logs with our audit trail. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The client's X-Request-Id when well-formed; anything else is ignored, never stored. */
export function clientRequestIdOf(request: FastifyRequest): string | undefined {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : undefined;
}

export function ctxOf(request: FastifyRequest): RequestContext {
  if (!request.actor) throw new AppError('AUTH.UNAUTHENTICATED', 'Authentication required');
  return {
    actor: request.actor,
    requestId: String(request.id),
    clientRequestId: clientRequestIdOf(request),
    idempotencyRecordId: request.idempotencyRecordId,
  };
}
