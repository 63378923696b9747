// One error handler for the whole API: every failure leaves as RFC 9457 application/problem+json with
// a stable `code` and the request id (under /fhir, as a FHIR OperationOutcome carrying the same). 5xx bodies never carry internals (stack, SQL, secrets).
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, ERROR_STATUS, titleFor } from '../shared/errors.ts';
import { operationOutcome } from '../modules/fhir/fhir-search.ts';
import type { IssueType } from '../modules/fhir/fhir.types.ts';
import { isDataException, isExclusionViolation, isTransientDatabaseError, isUniqueViolation, sqlState } from '../shared/db-errors.ts';

const TYPE_BASE = 'https://esi-scheduler.example/problems/';

export function problemBody(status: number, code: string, detail: string, requestId: string, extensions: Record<string, unknown> = {}) {
  return {
    type: `${TYPE_BASE}${code.toLowerCase().replace(/[._]/g, '-')}`,
    title: titleFor(status),
    status,
    detail,
    code,
    requestId,
    ...extensions,
  };
}

/** Whether a request is for the FHIR API, whose errors are OperationOutcomes (SPEC §6). */
export function isFhirRequest(request: FastifyRequest): boolean {
  const raw = request.url.split('?')[0] ?? '';
  let path = raw;
  try {
    path = decodeURIComponent(raw);
  } catch {
    // A malformed escape: judge the raw path.
  }
  return /^\/+fhir(\/|$)/i.test(path);
}

export function sendProblem(reply: FastifyReply, status: number, code: string, detail: string, extensions: Record<string, unknown> = {}) {
  if (isFhirRequest(reply.request)) {
    const { errors, issueType } = extensions as { errors?: { path: string; message: string }[]; issueType?: IssueType };
    return reply
      .code(status)
      .type('application/fhir+json; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(operationOutcome(status, code, detail, String(reply.request.id), { errors, issueType }));
  }
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .send(problemBody(status, code, detail, String(reply.request.id), extensions));
}

function validationErrors(err: {
  validation: { instancePath?: string; message?: string; params?: unknown }[];
  validationContext?: string;
}) {
  return err.validation.map((v) => {
    const ctx = err.validationContext ?? 'body';
    const pointer = v.instancePath ? v.instancePath.replace(/^\//, '').replace(/\//g, '.') : '';
    return { path: pointer ? `${ctx}.${pointer}` : ctx, message: v.message ?? 'is invalid' };
  });
}

function toProblem(err: FastifyError | Error, request: FastifyRequest) {
  if (err instanceof AppError) return { status: err.status, code: err.code, detail: err.message, ext: err.extensions };
  if (hasZodFastifySchemaValidationErrors(err)) {
    const errors = validationErrors(err);
    return {
      status: 400,
      code: 'REQUEST.VALIDATION',
      detail: `Request is invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`.slice(0, 1000),
      ext: { errors },
    };
  }
  const fe = err as FastifyError;
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        status: 400,
        code: 'REQUEST.MALFORMED_JSON',
        detail: 'Request body is not valid JSON',
        ext: { errors: [{ path: 'body', message: 'is not valid JSON' }] },
      };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'REQUEST.TOO_LARGE', detail: 'Request body is larger than 1 MiB', ext: {} };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE', detail: 'Send request bodies as application/json', ext: {} };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return {
        status: 400,
        code: 'REQUEST.VALIDATION',
        detail: 'Content-Length does not match the body',
        ext: { errors: [{ path: 'headers.content-length', message: 'does not match the body' }] },
      };
    default:
      break;
  }
  if (fe.statusCode === 429) return { status: 429, code: 'AUTH.RATE_LIMITED', detail: fe.message, ext: {} };
  if (isExclusionViolation(err)) {
    return {
      status: 422,
      code: 'INJECTION.INTERVAL_TOO_SHORT',
      detail: 'Injections for one patient must be at least 14 days apart',
      ext: {
        violations: [
          {
            rule: 'R2_INJECTION_INTERVAL',
            message: 'Injections for one patient must be at least 14 days apart',
            earliestEligibleDate: null,
          },
        ],
      },
    };
  }
  if (isUniqueViolation(err))
    return { status: 409, code: 'RESOURCE.CONFLICT', detail: 'The resource conflicts with an existing one', ext: {} };
  if ((err as { code?: unknown }).code === 'P2025')
    return { status: 404, code: 'RESOURCE.NOT_FOUND', detail: 'Resource not found', ext: {} };
  if (isDataException(err)) {
    request.log.warn({ sqlState: sqlState(err) }, 'database refused a value the validation let through');
    const message = 'holds a value the database cannot store (too long, out of range, or a NUL character)';
    return { status: 400, code: 'REQUEST.VALIDATION', detail: `The request ${message}`, ext: { errors: [{ path: 'request', message }] } };
  }
  if (isTransientDatabaseError(err)) {
    // Logged (without the query or its values) so an outage, or a bug that looks like one, is visible.
    request.log.warn(
      { sqlState: sqlState(err), reason: err.message.split('\n').filter(Boolean).pop()?.slice(0, 200) },
      'database unavailable',
    );
    return { status: 503, code: 'SERVICE.UNAVAILABLE', detail: 'The database is unavailable or busy; try again shortly', ext: {} };
  }
  // Other 4xx raised by Fastify itself (e.g. bad URL encoding) keep their status without internals.
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return {
      status: fe.statusCode,
      code: 'REQUEST.VALIDATION',
      detail: fe.message,
      ext: { errors: [{ path: 'request', message: fe.message }] },
    };
  }
  request.log.error({ err, sqlState: sqlState(err) }, 'unhandled error');
  return { status: 500, code: 'INTERNAL', detail: 'An internal error occurred; it has been logged with the request id', ext: {} };
}

/** Router errors raised before any route or hook runs: bad percent-encoding, a path parameter longer
 * than routerOptions.maxParamLength. Fastify's own answer would be plain JSON. */
export function frameworkErrors(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const message = tooLong ? 'has a path segment longer than any identifier' : 'is not valid percent-encoding';
  void sendProblem(reply, 400, 'REQUEST.VALIDATION', `The URL ${message}`, { errors: [{ path: 'url', message }] });
}

/** Requests Node's HTTP parser refuses (CR/LF or NUL in a header, smuggling-shaped framing, oversized
 * head) never reach Fastify; they are answered here, still as problem documents, and the socket closed. */
export function clientErrorHandler(this: FastifyInstance, err: Error & { code?: string }, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, detail, label] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'REQUEST.TOO_LARGE', 'The request head is too large', 'header_overflow']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST.TIMEOUT', 'The request did not arrive in time', 'timeout']
        : [400, 'REQUEST.VALIDATION', 'The request is not valid HTTP/1.1', 'error'];
  this.log.trace({ err }, `client ${label}`); // as Fastify's own handler does
  if (socket.writable) {
    const body = JSON.stringify({ ...problemBody(status, code, detail, randomUUID()), title: STATUS_CODES[status] });
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

/**
 * Two refusals Node or Fastify would otherwise answer outside the problem format:
 * - while the server drains after SIGTERM, requests arriving on kept-alive connections get a 503 with
 *   Connection: close (in place of Fastify's plain-JSON 503; see return503OnClosing: false);
 * - an HTTP/1.1 request without Host gets a 400 (in place of Node's empty one; see requireHostHeader).
 */
export function protocolGuards(app: FastifyInstance) {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    if (closing) {
      reply.header('connection', 'close').header('retry-after', '5');
      return sendProblem(reply, 503, 'SERVICE.UNAVAILABLE', 'The server is shutting down; retry shortly');
    }
    if (request.raw.httpVersion === '1.1' && !request.headers.host) {
      return sendProblem(reply, 400, 'REQUEST.VALIDATION', 'An HTTP/1.1 request must carry a Host header', {
        errors: [{ path: 'headers.host', message: 'is required' }],
      });
    }
  });
}

export default fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((err: FastifyError, request, reply) => {
      const p = toProblem(err, request);
      if (p.status === 503) reply.header('retry-after', '5');
      if (p.status >= 500 && p.status !== 503) request.log.error({ code: p.code }, 'request failed');
      else request.log.info({ code: p.code, status: p.status }, 'request refused');
      return sendProblem(reply, p.status, p.code, p.detail, p.ext);
    });
    app.setNotFoundHandler((request, reply) =>
      sendProblem(reply, 404, 'ROUTE.NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0] ?? ''}`.slice(0, 300)),
    );
  },
  { name: 'errors' },
);

export { ERROR_STATUS };
