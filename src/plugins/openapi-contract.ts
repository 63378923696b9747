// Completes the generated OpenAPI document with what every /v1 route can answer besides what its own
// schema declares, so a validating proxy or a generated client sees the whole contract: the refusals
// of the auth plugin (401, 403, 429), of the body parser (413, 415), of idempotency (409, 422 on
// POST), a missing resource (404 on routes with an id), an unavailable database (503) and an internal
// error (500). Problem answers are application/problem+json. Also: operation ids, servers, license,
// and the response headers the service sets (rate limit, request id, no-store).
import { allowedRoles, ROLES } from './access-policy.ts';

type Json = Record<string, unknown>;
type Operation = Json & { responses?: Record<string, Json>; parameters?: Json[]; requestBody?: Json; 'x-roles'?: string[] };

const PROBLEM = 'application/problem+json';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

const DESCRIPTIONS: Record<string, string> = {
  '400': 'The request is invalid (problem `errors` name each field)',
  '401': 'No valid API key (missing, malformed, unknown, revoked or expired)',
  '403': "The key's role may not call this route",
  '404': 'The resource (or route) does not exist',
  '409': 'Conflict; also an Idempotency-Key whose first request is still running (retry after Retry-After)',
  '413': 'The request body is larger than 1 MiB',
  '415': 'The request body is not application/json',
  '422': 'Refused by a rule; also an Idempotency-Key reused with another request',
  '429': 'Too many requests with this key (or failed authentications from this address); retry after Retry-After',
  '500': 'An internal error; the body carries the request id it was logged under',
  '503': 'The database is unavailable or the server is shutting down; retry after Retry-After',
};

export const RESPONSE_HEADERS: Record<string, Json> = {
  'X-Request-Id': {
    description: "The server's id for this request, as recorded in its logs and audit events",
    schema: { type: 'string', format: 'uuid' },
  },
  'Cache-Control': { description: 'Always `no-store` on API answers', schema: { type: 'string', enum: ['no-store'] } },
  'RateLimit-Limit': {
    description:
      'Requests allowed per key per minute on this instance (IETF httpapi-ratelimit-headers draft); absent when the limit is off',
    schema: { type: 'integer', minimum: 1 },
  },
  'RateLimit-Remaining': { description: 'Requests left in the current window', schema: { type: 'integer', minimum: 0 } },
  'RateLimit-Reset': { description: 'Seconds until the current window ends', schema: { type: 'integer', minimum: 0 } },
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 0 } },
  'WWW-Authenticate': { description: '`Bearer realm="esi-scheduler"`', schema: { type: 'string' } },
};

const CLIENT_REQUEST_ID: Json = {
  in: 'header',
  name: 'x-request-id',
  required: false,
  description:
    "The client's own id for this request, kept as the audit event's `clientRequestId` when well-formed (ignored otherwise). The answer's `X-Request-Id` is always the server's id.",
  schema: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]{1,64}$' },
};

const ref = (name: string) => ({ $ref: `#/components/headers/${name}` });

/** The statuses a /v1 operation can answer beyond its 2xx. */
export function statusesFor(method: string, path: string, op: Operation): string[] {
  const s = new Set(['400', '401', '429', '500', '503']);
  const roles = allowedRoles(method, path.replace(/\{(\w+)\}/g, ':$1')) ?? [];
  if (roles.length < ROLES.length) s.add('403');
  if (/\{\w+\}/.test(path)) s.add('404');
  if (['POST', 'PUT', 'PATCH'].includes(method)) {
    s.add('413');
    s.add('415');
  }
  if (method === 'POST') {
    s.add('409');
    s.add('422');
  }
  for (const status of Object.keys(op.responses ?? {})) if (/^[45]\d\d$/.test(status)) s.add(status);
  return [...s].sort();
}

function headersFor(status: string): Json {
  const h: Json = { 'X-Request-Id': ref('X-Request-Id'), 'Cache-Control': ref('Cache-Control') };
  if (status !== '401') {
    h['RateLimit-Limit'] = ref('RateLimit-Limit');
    h['RateLimit-Remaining'] = ref('RateLimit-Remaining');
    h['RateLimit-Reset'] = ref('RateLimit-Reset');
  }
  if (status === '429' || status === '503' || status === '409') h['Retry-After'] = ref('Retry-After');
  if (status === '401') h['WWW-Authenticate'] = ref('WWW-Authenticate');
  return h;
}

const operationId = (method: string, path: string) =>
  method +
  path
    .replace(/^\/v1/, '')
    .split(/[/{}\-_.]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

/** Names of the component schemas a value refers to, transitively. */
function referenced(doc: Json): Set<string> {
  const schemas = ((doc.components as Json | undefined)?.schemas ?? {}) as Record<string, unknown>;
  const seen = new Set<string>();
  const stack: unknown[] = [doc.paths];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...(v as unknown[]));
    else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (k === '$ref' && typeof child === 'string' && child.startsWith('#/components/schemas/')) {
          const name = child.slice('#/components/schemas/'.length);
          if (!seen.has(name)) {
            seen.add(name);
            stack.push(schemas[name]);
          }
        } else stack.push(child);
      }
    }
  }
  return seen;
}

export function completeContract(doc: Json): Json {
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Operation>>;
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      op.operationId ??= operationId(method, path);
      if (!path.startsWith('/v1/')) continue;
      const parameters = (op.parameters ??= []);
      if (!parameters.some((p) => p.in === 'header' && String(p.name).toLowerCase() === 'x-request-id')) {
        parameters.push(CLIENT_REQUEST_ID);
      }
      const responses = (op.responses ??= {});
      for (const status of statusesFor(method.toUpperCase(), path, op)) {
        const existing = responses[status];
        responses[status] = {
          description: existing && existing.description !== 'Default Response' ? existing.description : (DESCRIPTIONS[status] ?? 'Error'),
          headers: { ...(existing?.headers ?? {}), ...headersFor(status) },
          content: { [PROBLEM]: { schema: { $ref: '#/components/schemas/Problem' } } },
        };
      }
      for (const [status, r] of Object.entries(responses)) {
        if (!/^2\d\d$/.test(status)) continue;
        r.headers = { ...(r.headers ?? {}), ...headersFor(status) };
        if (r.description === 'Default Response') r.description = 'Success';
      }
    }
  }
  const components = (doc.components ??= {}) as Json;
  components.headers = { ...(components.headers ?? {}), ...RESPONSE_HEADERS };
  // Zod emits an input twin of every named DTO; the document refers to those it uses only.
  const schemas = (components.schemas ?? {}) as Json;
  const used = referenced(doc);
  for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name];
  doc.servers = [{ url: '/', description: 'This server' }];
  const info = (doc.info ??= {}) as Json;
  info.license ??= { name: 'Proprietary' };
  return doc;
}
