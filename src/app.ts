// The application factory: a ready Fastify instance that does not listen (src/server.ts does).
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import type { Config } from './config.ts';
import type { Database } from './db/prisma.ts';
import { loggerOptions, rememberRoute } from './logger.ts';
import { trackRoutes } from './plugins/access-policy.ts';
import authPlugin from './plugins/auth.plugin.ts';
import errorsPlugin, { clientErrorHandler, frameworkErrors, protocolGuards } from './plugins/errors.plugin.ts';
import idempotencyPlugin from './plugins/idempotency.plugin.ts';
import { resourceLoaders } from './modules/resource-loaders.ts';
import inputTextPlugin from './plugins/input-text.plugin.ts';
import openapiPlugin from './plugins/openapi.plugin.ts';
import dashboardPlugin from './plugins/dashboard.plugin.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { apiRoutes } from './routes.ts';
import { cdsHooksRoutes } from './modules/cds-hooks/cds-hooks.routes.ts';
import { rememberJti } from './modules/cds-hooks/cds-hooks.repository.ts';
import { cdsJwtBearer, loadCdsClients } from './modules/cds-hooks/cds-jwt.ts';
import { fhirRoutes } from './modules/fhir/fhir.routes.ts';
import { APP_VERSION } from './version.ts';

export interface AppOptions {
  config: Config;
  db: Database;
  /** Where logs go (tests capture them); defaults to stdout. */
  logStream?: DestinationStream;
  /** The clock, so tests can pin "now". */
  clock?: () => Date;
  authFailuresPerMinute?: number;
  /** Serve the built dashboard from web/dist when present. */
  serveDashboard?: boolean;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const logger = opts.logStream ? { ...loggerOptions(opts.config.logLevel), stream: opts.logStream } : loggerOptions(opts.config.logLevel);
  const app = Fastify({
    logger,
    bodyLimit: 1024 * 1024,
    trustProxy: false,
    // Off: Fastify would take the header as it is; genReqId reads it and keeps only well-formed ids.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { removeAdditional: false } },
    routerOptions: { maxParamLength: 200 },
    frameworkErrors,
    clientErrorHandler,
    return503OnClosing: false,
    http: { requireHostHeader: false },
  }).withTypeProvider<ZodTypeProvider>();
  protocolGuards(app);

  // Before any plugin: every route is listed (tests compare them with SPEC) and its words are known to the log.
  trackRoutes(app, rememberRoute);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(errorsPlugin);
  await app.register(inputTextPlugin);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        // Off: over plain HTTP on a clinic network it would send the dashboard's own scripts to https
        // and leave a blank page; under TLS every URL is already https.
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(openapiPlugin, { version: APP_VERSION });
  const cdsClients = opts.config.cdsClientsFile ? loadCdsClients(opts.config.cdsClientsFile) : [];
  await app.register(authPlugin, {
    db: opts.db,
    adminApiKey: opts.config.adminApiKey,
    authFailuresPerMinute: opts.authFailuresPerMinute ?? 60,
    jwtBearer: cdsJwtBearer(cdsClients, opts.config.publicUrl, (issuer, jti, expiresAt) =>
      rememberJti(opts.db.pool, issuer, jti, expiresAt),
    ),
  });
  await app.register(idempotencyPlugin, { db: opts.db, resources: resourceLoaders(opts.db) });
  await app.register(healthRoutes, { db: opts.db });
  await app.register(apiRoutes, {
    prefix: '/v1',
    db: opts.db,
    config: opts.config,
    clock: opts.clock ?? (() => new Date()),
  });
  // SPEC §6: the interoperability doors, outside /v1 at the paths their standards fix.
  const deps = { db: opts.db, config: opts.config, clock: opts.clock ?? (() => new Date()) };
  await app.register(cdsHooksRoutes, deps);
  await app.register(fhirRoutes, { ...deps, prefix: '/fhir/R4' });
  if (opts.serveDashboard !== false) await app.register(dashboardPlugin);
  await app.ready();
  return app;
}
