// The application factory: a ready Fastify instance that does not listen (src/server.ts does).
import { randomBytes, randomUUID } from 'node:crypto';
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
import { loadPolicies, type PolicyRegistry } from './modules/coverage/policy-registry.ts';
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
  /** Cache key lookups while listening for key changes (default: API_KEY_CACHE); off for a document dump. */
  keyCache?: boolean | { retryMs?: number; heartbeatMs?: number };
  /** The coverage policies; read from `config.policiesDir` when not given. */
  policies?: PolicyRegistry;
  /** Serve the built dashboard from web/dist when present. */
  serveDashboard?: boolean;
}

/** /v1 and /fhir answers, errors included, judged on the decoded path as the auth plugin does. */
export function isNoStorePath(url: string): boolean {
  const raw = url.split('?')[0] ?? '';
  let path = raw;
  try {
    path = decodeURIComponent(raw);
  } catch {
    // A malformed escape: judge the raw path.
  }
  return /^\/+(v1|fhir)(\/|$)/i.test(path);
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  // First: a bad policy file stops the start before anything else is set up.
  const policies = opts.policies ?? loadPolicies(opts.config.policiesDir);
  const clock = opts.clock ?? (() => new Date());
  const serverSecret = opts.config.serverSecret ?? randomBytes(32).toString('base64url');
  const logger = opts.logStream ? { ...loggerOptions(opts.config.logLevel), stream: opts.logStream } : loggerOptions(opts.config.logLevel);
  const app = Fastify({
    logger,
    bodyLimit: 1024 * 1024,
    trustProxy: false,
    // The server's own id, always: a client's X-Request-Id is kept beside it as clientRequestId
    // (shared/request-context.ts), never as the id audit rows and logs are filed under.
    requestIdHeader: false,
    genReqId: () => randomUUID(),
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
  // An empty JSON body is "no body" (an action with nothing to say, sent by a client that always sets
  // Content-Type): the route's schema then decides, so an optional body passes and a required one is
  // still a 400. Anything else goes to Fastify's own parser (prototype poisoning refused).
  const json = app.getDefaultJsonParser('error', 'error');
  // Bodies are JSON only: text/plain would reach the schemas as a string (a 400); 415 says what to send.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    return json(request, text, done);
  });
  // Fastify hands a missing body to the validator as null; zod's optional() means undefined. Either
  // way the route's schema decides whether a body is required.
  app.setValidatorCompiler((route) => {
    const validate = validatorCompiler(route as Parameters<typeof validatorCompiler>[0]);
    return route.httpPart === 'body' ? (data: unknown) => validate(data === null ? undefined : data) : validate;
  });
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // API answers hold patient data or secrets: no browser, proxy or shared cache may keep them.
    if (isNoStorePath(request.url)) reply.header('cache-control', 'no-store');
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
    requestsPerKeyPerMinute: opts.config.rateLimitPerMinute,
    clock,
    keyCache: opts.keyCache ?? opts.config.apiKeyCache,
    jwtBearer: cdsJwtBearer(cdsClients, opts.config.publicUrl, (issuer, jti, expiresAt) =>
      rememberJti(opts.db.pool, issuer, jti, expiresAt),
    ),
  });
  await app.register(idempotencyPlugin, { db: opts.db, serverSecret, resources: resourceLoaders(opts.db) });
  await app.register(healthRoutes, { db: opts.db });
  await app.register(apiRoutes, {
    prefix: '/v1',
    db: opts.db,
    config: opts.config,
    clock,
    policies,
  });
  // SPEC §6: the interoperability doors, outside /v1 at the paths their standards fix.
  const deps = { db: opts.db, config: opts.config, clock, policies };
  await app.register(cdsHooksRoutes, deps);
  await app.register(fhirRoutes, { ...deps, prefix: '/fhir/R4' });
  if (opts.serveDashboard !== false) await app.register(dashboardPlugin);
  await app.ready();
  return app;
}
