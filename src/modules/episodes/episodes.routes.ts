import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.ts';
import { ctxOf } from '../../shared/request-context.ts';
import { IdParams, problems } from '../../shared/schemas.ts';
import {
  ClearanceBody,
  ClearanceDto,
  CloseEpisodeBody,
  CloseEpisodeResponse,
  ConsultationBody,
  ConsultationDto,
  CreateEpisodeBody,
  EpisodeDto,
  UpdateEpisodeBody,
  UpdateEpisodeResponse,
} from './episodes.schemas.ts';
import { EpisodesService } from './episodes.service.ts';

export const episodesRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  const service = new EpisodesService(deps);
  const tags = ['episodes'];

  app.post(
    '/patients/:id/episodes',
    {
      schema: {
        tags,
        summary: 'Open a conservative-care episode (at most one open per patient)',
        params: IdParams,
        body: CreateEpisodeBody,
        response: { 201: EpisodeDto, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await service.create(ctxOf(request), request.params.id, request.body)),
  );

  app.patch(
    '/episodes/:id',
    {
      schema: {
        tags,
        summary: 'Edit severity, neurological signs, therapies or diagnosis',
        description:
          'Always succeeds for a valid edit. When the edit withdraws the R1 exemption or adds an uncleared red flag, `warnings` names the scheduled injections it leaves ineligible (nothing is cancelled).',
        params: IdParams,
        body: UpdateEpisodeBody,
        response: { 200: UpdateEpisodeResponse, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => service.update(ctxOf(request), request.params.id, request.body),
  );

  app.post(
    '/episodes/:id/close',
    {
      schema: {
        tags,
        summary: 'Close an episode; its future scheduled injections are cancelled',
        params: IdParams,
        body: CloseEpisodeBody,
        response: { 200: CloseEpisodeResponse, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => service.close(ctxOf(request), request.params.id, request.body.reason),
  );

  app.post(
    '/episodes/:id/red-flag-clearance',
    {
      schema: {
        tags,
        summary: 'Clear the red flags recorded now (lifts R4 for them; a red flag added later blocks again)',
        params: IdParams,
        body: ClearanceBody,
        response: { 201: ClearanceDto, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await service.clearRedFlags(ctxOf(request), request.params.id, request.body.reason)),
  );

  app.post(
    '/episodes/:id/consultations',
    {
      schema: {
        tags,
        summary: 'Record a consultation allowing the episode up to allowInjections scheduled/completed injections (R5)',
        params: IdParams,
        body: ConsultationBody,
        response: { 201: ConsultationDto, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await service.addConsultation(ctxOf(request), request.params.id, request.body)),
  );
};
