// FHIR R4 read API under /fhir/R4 (SPEC §6): application/fhir+json, the same keys, roles and audit as
// /v1; every error an OperationOutcome (the error plugin renders /fhir errors so). Search parameters are
// read raw, not through a schema, so an unsupported one is answered 400 `not-supported` by fhir-search.ts.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { ctxOf } from '../../shared/request-context.ts';
import { AppError } from '../../shared/errors.ts';
import { DEFAULT_COUNT, FILTER_PARAM, MAX_COUNT, SEARCH_TYPES, SearchError } from './fhir-search.ts';
import { FhirService } from './fhir.service.ts';

export const FHIR_CONTENT_TYPE = 'application/fhir+json; charset=utf-8';

const FhirResource = z.looseObject({ resourceType: z.string() }).meta({ id: 'FhirResource', description: 'A FHIR R4 resource' });
const OperationOutcome = z
  .looseObject({ resourceType: z.literal('OperationOutcome'), issue: z.array(z.looseObject({})) })
  .meta({ id: 'OperationOutcome', description: 'A FHIR R4 OperationOutcome' });
const outcomes = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, OperationOutcome]));
/** The documented parameters of a search. The object stays open so that fhir-search.ts sees, and refuses,
 * any other parameter; a repeated one arrives as an array and is refused here. */
const searchQuery = (filter: 'patient' | 'identifier') =>
  z.looseObject({
    [filter]: z
      .string()
      .max(200)
      .optional()
      .describe(
        filter === 'patient'
          ? 'Required: the Patient id, Patient/<id>, or an absolute URL ending so'
          : 'Required: the MRN, or <system>|<MRN>',
      ),
    _count: z.string().max(7).optional().describe(`Page size, 0 to ${MAX_COUNT} (default ${DEFAULT_COUNT}); 0 gives the total only`),
    _offset: z.string().max(7).optional().describe('Offset of the page, as carried by the Bundle next link'),
    _format: z.string().max(40).optional().describe('json, application/json or application/fhir+json'),
  });

export const fhirRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  const service = new FhirService(deps);
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store');
    if (reply.statusCode < 400) reply.header('content-type', FHIR_CONTENT_TYPE);
    return payload;
  });
  // A refused search is a 400 OperationOutcome with the FHIR issue type (not-supported or invalid).
  const search = (type: (typeof SEARCH_TYPES)[number]) => async (request: FastifyRequest) => {
    try {
      return await service.search(ctxOf(request), type, request.query as Record<string, unknown>);
    } catch (err) {
      if (err instanceof SearchError) throw new AppError('REQUEST.VALIDATION', err.message, { issueType: err.issueType });
      throw err;
    }
  };

  app.get(
    '/metadata',
    {
      schema: {
        tags: ['fhir'],
        summary: 'FHIR CapabilityStatement: exactly what this API serves (no authentication needed)',
        security: [],
        response: { 200: FhirResource },
      },
    },
    async () => service.metadata(),
  );
  app.get(
    '/Patient/:id',
    {
      schema: {
        tags: ['fhir'],
        summary: 'FHIR read of a Patient',
        params: z.object({ id: z.string().min(1).max(64) }),
        response: { 200: FhirResource, ...outcomes(401, 403, 404, 429, 500, 503) },
      },
    },
    async (request) => service.readPatient(ctxOf(request), request.params.id),
  );
  for (const type of SEARCH_TYPES) {
    app.get(
      `/${type}`,
      {
        schema: {
          tags: ['fhir'],
          summary: `FHIR search of ${type} (searchset Bundle; ${type === 'Patient' ? 'identifier' : 'patient'} required; _count, _offset)`,
          querystring: searchQuery(FILTER_PARAM[type]),
          response: { 200: FhirResource, ...outcomes(400, 401, 403, 429, 500, 503) },
        },
      },
      search(type),
    );
  }
};
