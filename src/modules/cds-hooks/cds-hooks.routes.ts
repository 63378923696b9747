// CDS Hooks 2.0 (SPEC §6): discovery and the appointment-book service, outside /v1 at the paths the
// specification fixes ({baseUrl}/cds-services and {baseUrl}/cds-services/{id}). Roles in access-policy.ts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.ts';
import { ctxOf } from '../../shared/request-context.ts';
import { problems } from '../../shared/schemas.ts';
import { AppointmentBookRequest, CdsDiscovery, CdsResponse } from './cds-hooks.schemas.ts';
import { CDS_SERVICE_ID, CdsHooksService, DISCOVERY } from './cds-hooks.service.ts';

export const cdsHooksRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  const service = new CdsHooksService(deps);
  // Cards name a patient and their dates: never cached, like /v1 and /fhir answers.
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store');
    return payload;
  });

  app.get(
    '/cds-services',
    {
      schema: {
        tags: ['cds-hooks'],
        summary: 'CDS Hooks discovery: the services offered (no patient data; no authentication needed)',
        security: [],
        response: { 200: CdsDiscovery },
      },
    },
    async () => DISCOVERY,
  );

  app.post(
    `/cds-services/${CDS_SERVICE_ID}`,
    {
      schema: {
        tags: ['cds-hooks'],
        summary: 'CDS Hooks appointment-book: cards for each proposed ESI (critical per rule, warning per coverage issue, info per flag)',
        description:
          'Authenticate with a CDS Hooks JWT (Authorization: Bearer <JWT> signed by an issuer registered in CDS_CLIENTS_FILE; aud is this URL) or an API key. `context.appointments` is a Bundle or an array; `context.patientId` is an ESI Scheduler patient id or an MRN.',
        body: AppointmentBookRequest,
        response: { 200: CdsResponse, ...problems(400, 401, 403, 404, 413, 415, 429, 500, 503) },
      },
    },
    async (request) => service.appointmentBook(ctxOf(request), request.body),
  );
};
