import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.ts';
import { ctxOf } from '../../shared/request-context.ts';
import { IdParams, problems } from '../../shared/schemas.ts';
import { CloseEpisodeBody, CloseEpisodeResponse, CreateEpisodeBody, EpisodeDto, UpdateEpisodeBody } from './episodes.schemas.ts';
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
        params: IdParams,
        body: UpdateEpisodeBody,
        response: { 200: EpisodeDto, ...problems(400, 401, 403, 404, 409) },
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
};
