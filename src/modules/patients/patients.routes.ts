import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.ts';
import { ctxOf } from '../../shared/request-context.ts';
import { IdParams, problems } from '../../shared/schemas.ts';
import { CreatePatientBody, ListPatientsQuery, PatientDetailDto, PatientDto, PatientPage, UpdatePatientBody } from './patients.schemas.ts';
import { PatientsService } from './patients.service.ts';

export const patientsRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  const service = new PatientsService(deps);
  const tags = ['patients'];

  app.post(
    '/patients',
    {
      schema: {
        tags,
        summary: 'Register a patient',
        body: CreatePatientBody,
        response: { 201: PatientDto, ...problems(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await service.create(ctxOf(request), request.body)),
  );

  app.get(
    '/patients',
    {
      schema: {
        tags,
        summary: 'Search patients by MRN or name',
        querystring: ListPatientsQuery,
        response: { 200: PatientPage, ...problems(400, 401, 403) },
      },
    },
    async (request) => service.list(ctxOf(request), request.query.q, request.query.limit, request.query.cursor),
  );

  app.get(
    '/patients/:id',
    {
      schema: {
        tags,
        summary: 'A patient with open episode, last/next injection and clinical flags',
        params: IdParams,
        response: { 200: PatientDetailDto, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => service.detail(ctxOf(request), request.params.id),
  );

  app.patch(
    '/patients/:id',
    {
      schema: {
        tags,
        summary: 'Update demographics',
        params: IdParams,
        body: UpdatePatientBody,
        response: { 200: PatientDto, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => service.update(ctxOf(request), request.params.id, request.body),
  );
};
