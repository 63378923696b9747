import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { ctxOf } from '../../shared/request-context.ts';
import { IdParams, problems } from '../../shared/schemas.ts';
import { InjectionReadsService } from './injection-reads.service.ts';
import {
  BookInjectionBody,
  CancelBody,
  CompleteBody,
  EligibilityDto,
  EligibilityQuery,
  HistoryDto,
  InjectionDto,
  OutcomeBody,
  RescheduleBody,
  ScheduleDto,
  ScheduleQuery,
} from './injections.schemas.ts';
import { InjectionsService } from './injections.service.ts';

export const injectionsRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  const service = new InjectionsService(deps);
  const reads = new InjectionReadsService(deps);
  const tags = ['injections'];
  const change = { 200: InjectionDto, ...problems(400, 401, 403, 404, 409, 422) };

  app.get(
    '/patients/:id/eligibility',
    {
      schema: {
        tags,
        summary: 'Would a new injection on this date pass R1–R5? With the earliest eligible date',
        params: IdParams,
        querystring: EligibilityQuery,
        response: { 200: EligibilityDto, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => reads.eligibility(ctxOf(request), request.params.id, request.query.on),
  );

  app.post(
    '/injections',
    {
      schema: {
        tags,
        summary: 'Book an injection (R1–R5 enforced; 422 names the rule and the earliest eligible date)',
        body: BookInjectionBody,
        description:
          "Anatomy that cannot be performed (levels outside the episode's region, a side the approach does not allow, …) is 400 `INJECTION.ANATOMY` with `errors[]`; a rule violation (R1–R5) is 422 with `violations[]`.",
        response: { 201: InjectionDto, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await service.book(ctxOf(request), request.body)),
  );

  app.post(
    '/injections/:id/reschedule',
    {
      schema: {
        tags,
        summary: 'Move a scheduled injection (R1–R5 re-checked, excluding itself)',
        params: IdParams,
        body: RescheduleBody,
        response: change,
      },
    },
    async (request) => service.reschedule(ctxOf(request), request.params.id, request.body),
  );

  app.post(
    '/injections/:id/cancel',
    {
      schema: { tags, summary: 'Cancel a scheduled injection', params: IdParams, body: CancelBody, response: change },
    },
    async (request) => service.cancel(ctxOf(request), request.params.id, request.body.reason),
  );

  app.post(
    '/injections/:id/no-show',
    {
      schema: {
        tags,
        summary: 'Record that the patient did not attend',
        params: IdParams,
        body: z.strictObject({}).optional(),
        response: change,
      },
    },
    async (request) => service.noShow(ctxOf(request), request.params.id),
  );

  app.post(
    '/injections/:id/complete',
    {
      schema: {
        tags,
        summary: 'Record the injection as performed; on another clinic date than booked it moves there, R1–R5 judged on that date',
        params: IdParams,
        body: CompleteBody,
        response: change,
      },
    },
    async (request) => service.complete(ctxOf(request), request.params.id, request.body.performedAt),
  );

  app.put(
    '/injections/:id/outcome',
    {
      schema: {
        tags,
        summary: 'Record pain before/after and improvement of a completed injection',
        params: IdParams,
        body: OutcomeBody,
        response: change,
      },
    },
    async (request) => service.recordOutcome(ctxOf(request), request.params.id, request.body),
  );

  app.get(
    '/patients/:id/injections',
    {
      schema: {
        tags,
        summary: 'Injection history, oldest first, with days since the previous counted injection',
        params: IdParams,
        response: { 200: HistoryDto, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => reads.history(ctxOf(request), request.params.id),
  );

  app.get(
    '/schedule',
    {
      schema: {
        tags,
        summary: "A day's injections in the clinic's zone, with patient names, in pages by time",
        querystring: ScheduleQuery,
        response: { 200: ScheduleDto, ...problems(400, 401, 403) },
      },
    },
    async (request) => reads.schedule(ctxOf(request), request.query.date, request.query.limit, request.query.cursor),
  );
};
