// Every /v1 route module. Roles per route live in plugins/access-policy.ts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from './deps.ts';
import { ACCESS_POLICY, ROLES } from './plugins/access-policy.ts';
import { problems } from './shared/schemas.ts';
import { ctxOf } from './shared/request-context.ts';
import { apiKeysRoutes } from './modules/api-keys/api-keys.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { episodesRoutes } from './modules/episodes/episodes.routes.ts';
import { injectionsRoutes } from './modules/injections/injections.routes.ts';
import { patientsRoutes } from './modules/patients/patients.routes.ts';
import { reportsRoutes } from './modules/reports/reports.routes.ts';

const MeDto = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  timeZone: z.string().describe("the clinic's IANA zone: every date and time is shown and entered in it"),
  may: z.array(z.string()).describe('the routes this key may call, as "METHOD /v1/path" keys of the access policy'),
});

/** What a role may call, read from the one access policy so that no client keeps a copy of the role table. */
const routesFor = (role: (typeof ROLES)[number]) =>
  Object.entries(ACCESS_POLICY)
    .filter(([, roles]) => roles.includes(role))
    .map(([route]) => route);

export const apiRoutes: FastifyPluginAsyncZod<Deps> = async (app, opts) => {
  // Pass only the dependencies on: the options object also carries this plugin's `prefix`.
  const deps: Deps = { db: opts.db, config: opts.config, clock: opts.clock };
  await app.register(apiKeysRoutes, deps);
  await app.register(patientsRoutes, deps);
  await app.register(episodesRoutes, deps);
  await app.register(injectionsRoutes, deps);
  await app.register(auditRoutes, deps);
  await app.register(reportsRoutes, deps);
  app.get(
    '/me',
    {
      schema: {
        tags: ['api-keys'],
        summary: "The calling key: its id, name and role, the clinic's zone and what the key may do",
        response: { 200: MeDto, ...problems(401) },
      },
    },
    async (request) => {
      const { id, name, role } = ctxOf(request).actor;
      return { id, name, role, timeZone: opts.config.clinicTimeZone, may: routesFor(role) };
    },
  );
};
