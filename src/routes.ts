// Every /v1 route module. Roles per route live in plugins/access-policy.ts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from './deps.ts';
import { ROLES } from './plugins/access-policy.ts';
import { problems } from './shared/schemas.ts';
import { apiKeysRoutes } from './modules/api-keys/api-keys.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { coverageRoutes } from './modules/coverage/coverage.routes.ts';
import { episodesRoutes } from './modules/episodes/episodes.routes.ts';
import { injectionsRoutes } from './modules/injections/injections.routes.ts';
import { patientsRoutes } from './modules/patients/patients.routes.ts';
import { reportsRoutes } from './modules/reports/reports.routes.ts';

const MeDto = z.object({ id: z.string(), name: z.string(), role: z.enum(ROLES) });

export const apiRoutes: FastifyPluginAsyncZod<Deps> = async (app, opts) => {
  // Pass only the dependencies on: the options object also carries this plugin's `prefix`.
  const deps: Deps = { db: opts.db, config: opts.config, clock: opts.clock, policies: opts.policies };
  await app.register(apiKeysRoutes, deps);
  await app.register(patientsRoutes, deps);
  await app.register(episodesRoutes, deps);
  await app.register(injectionsRoutes, deps);
  await app.register(auditRoutes, deps);
  await app.register(reportsRoutes, deps);
  await app.register(coverageRoutes, deps);
  app.get(
    '/me',
    {
      schema: { tags: ['api-keys'], summary: 'The calling key: its id, name and role', response: { 200: MeDto, ...problems(401) } },
    },
    async (request) => request.actor,
  );
};
