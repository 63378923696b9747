// GET /v1/policies: the installed payer coverage policies with their checks (SPEC §5). Policies hold no
// patient data, so reading them is not audited.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.ts';
import { todayIn } from '../../shared/dates.ts';
import { problems } from '../../shared/schemas.ts';
import { PolicyList } from './coverage.schemas.ts';

export const coverageRoutes: FastifyPluginAsyncZod<Deps> = async (app, { policies, config, clock }) => {
  app.get(
    '/policies',
    {
      schema: {
        tags: ['coverage'],
        summary: 'Payer coverage policies: every version, with its checks',
        description:
          'Each policy file of policies/ (id, version, name, effectiveFrom, source, checks), by id and newest version first. ' +
          '`inEffect` marks the version that judges a booking dated today; a booking is judged by the version in effect on its own date.',
        response: { 200: PolicyList, ...problems(401, 403) },
      },
    },
    async () => {
      const today = todayIn(config.clinicTimeZone, clock());
      return {
        items: policies.all().map((p) => ({
          id: p.id,
          version: p.version,
          name: p.name,
          effectiveFrom: p.effectiveFrom,
          source: p.source,
          checks: [...p.checks],
          inEffect: policies.versionOn(p.id, today)?.version === p.version,
        })),
      };
    },
  );
};
