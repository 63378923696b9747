// OpenAPI 3 generated from the routes' zod schemas, served at /openapi.json and as Swagger UI at /docs.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { allowedRoles, isApiRoute } from './access-policy.ts';
import { completeContract } from './openapi-contract.ts';

/** Documents the optional Idempotency-Key header (the plugin reads it; no route schema declares it). */
function withIdempotencyKey(headers: unknown): Record<string, unknown> {
  const base = (headers ?? { type: 'object', properties: {} }) as { properties?: Record<string, unknown> };
  return {
    ...base,
    type: 'object',
    properties: {
      ...base.properties,
      'idempotency-key': {
        type: 'string',
        minLength: 1,
        maxLength: 257,
        description:
          'IETF httpapi idempotency-key draft. The same key and body within 24 h replays the first answer with `Idempotent-Replayed: true`; the same key with another body is 422; while the first is still running, 409. Scoped to the API key.',
      },
    },
  };
}

export default fp(
  async (app: FastifyInstance, opts: { version: string }) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'ESI Scheduler API',
          version: opts.version,
          description:
            "Schedules epidural steroid injections and enforces the conservative-care trial (R1), the 14-day interval (R2) and the open-episode rule (R3). Errors are application/problem+json (RFC 9457). Every /v1 answer carries `Cache-Control: no-store` and the server's `X-Request-Id`. Each API key may make `RATE_LIMIT_PER_MINUTE` requests a minute on each instance (default 600); answers carry `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (IETF httpapi-ratelimit-headers draft, separate fields), and a refused one is 429 with `Retry-After`.",
        },
        components: {
          securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API key issued by POST /v1/api-keys' } },
        },
      },
      // Fills components.schemas with the DTOs registered by `.meta({ id })`, which the routes' $refs point to.
      transformObject: (input) =>
        completeContract(jsonSchemaTransformObject(input) as Record<string, unknown>) as ReturnType<typeof jsonSchemaTransformObject>,
      transform: (input) => {
        const out = jsonSchemaTransform(input);
        const method = String(input.route.method);
        if (isApiRoute(input.url)) {
          // A /v1 route missing from the policy is refused to every role; the document says so too.
          const roles = allowedRoles(method, input.url) ?? [];
          const schema = out.schema as Record<string, unknown>;
          schema.security = [{ bearer: [] }];
          schema['x-roles'] = roles;
          const desc = typeof schema.description === 'string' ? `${schema.description}\n\n` : '';
          schema.description = `${desc}Roles: ${roles.length ? roles.join(', ') : 'none'}.`;
          if (method === 'POST') schema.headers = withIdempotencyKey(schema.headers);
        }
        return out;
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'openapi' },
);
