// OpenAPI 3 generated from the routes' zod schemas, served at /openapi.json and as Swagger UI at /docs.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { allowedRoles } from './access-policy.ts';

export default fp(
  async (app: FastifyInstance, opts: { version: string }) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'ESI Scheduler API',
          version: opts.version,
          description:
            'Schedules epidural steroid injections and enforces the conservative-care trial (R1), the 14-day interval (R2) and the open-episode rule (R3). Errors are application/problem+json (RFC 9457).',
        },
        components: {
          securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API key issued by POST /v1/api-keys' } },
        },
      },
      // Fills components.schemas with the DTOs registered by `.meta({ id })`, which the routes' $refs point to.
      transformObject: jsonSchemaTransformObject,
      transform: (input) => {
        const out = jsonSchemaTransform(input);
        const roles = allowedRoles(String(input.route.method), input.url);
        if (input.url.startsWith('/v1') && roles) {
          const schema = out.schema as Record<string, unknown>;
          schema.security = [{ bearer: [] }];
          schema['x-roles'] = roles;
          const desc = typeof schema.description === 'string' ? `${schema.description}\n\n` : '';
          schema.description = `${desc}Roles: ${roles.join(', ')}.`;
        }
        return out;
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'openapi' },
);
