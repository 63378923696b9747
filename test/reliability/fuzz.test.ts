// Hostile input driven by /openapi.json: schema-shaped requests and mutations of every part of them,
// over every route and role, in-process (app.inject) and over real sockets to a server process.
// Zero 5xx, every 4xx a problem document, nothing internal leaked, the database's invariants intact.
import { Writable } from 'node:stream';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createDatabase, type Database } from '../../src/db/prisma.ts';
import { protocolCases } from './fuzz/protocol-cases.ts';
import { encodeRequest, rawExchange, type RawAnswer } from './fuzz/raw-http.ts';
import { requestArb, requestFor, type FuzzContext, type FuzzRequest } from './fuzz/requests.ts';
import { operationsOf } from './fuzz/schema-arbitrary.ts';
import { seedFuzzData } from './fuzz/seed-fuzz.ts';
import { cloneDatabase, type TestDatabase } from './support/databases.ts';
import { printFigures, tally } from './support/figures.ts';
import { call, pool } from './support/http.ts';
import { checkInvariants, NO_BREAKS } from './support/invariants.ts';
import { SIZES } from './support/profile.ts';
import { ADMIN_KEY, CLINIC_TIMEZONE, startServer, type ServerProcess } from './support/server-process.ts';

const PORT = 3480;
const SEED = Number(process.env.RELIABILITY_SEED ?? 424_242);
const BATCH = 250; // more than routes × roles (23 × 7), so the sweep fits in the first batch
const LEAK = /\bat \/|\.ts:\d+|node_modules|\bSELECT\b|\bINSERT\b|prisma|postgres|DriverAdapter|stack/i;

interface Outcome {
  req: FuzzRequest;
  via: 'inject' | 'socket';
  answer: RawAnswer;
}

function verdict(o: Outcome): string | undefined {
  const { status, contentType, body } = o.answer;
  if (status === 0) return `no answer (${o.answer.error ?? '?'})`;
  if (status >= 500) return `status ${status}`;
  if (status >= 400 && !contentType.startsWith('application/problem+json')) return `${status} as ${contentType || 'no content type'}`;
  if (status >= 400 && o.req.method !== 'HEAD') {
    try {
      const p = JSON.parse(body) as { status?: unknown; code?: unknown };
      if (p.status !== status || typeof p.code !== 'string') return `${status} problem without status/code`;
    } catch {
      return `${status} problem that is not JSON`;
    }
  }
  if (status >= 400 && LEAK.test(body)) return `${status} body shows internals`;
  return undefined;
}

describe('hostile input', () => {
  let testDb: TestDatabase;
  let server: ServerProcess;
  let app: FastifyInstance;
  let appDb: Database;
  const appLog: string[] = [];

  beforeAll(async () => {
    testDb = await cloneDatabase('fuzz');
    server = await startServer({ port: PORT, databaseUrl: testDb.url });
    const config = loadConfig({
      DATABASE_URL: testDb.url,
      ADMIN_API_KEY: ADMIN_KEY,
      CLINIC_TIMEZONE,
      LOG_LEVEL: 'warn',
      REPORT_SCHEDULER: 'off',
    });
    appDb = createDatabase({ url: testDb.url, poolSize: 10 });
    const logStream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        if (appLog.length < 2_000) appLog.push(chunk.toString());
        cb();
      },
    });
    app = await buildApp({ config, db: appDb, logStream, serveDashboard: false });
  });

  afterAll(async () => {
    await app?.close();
    await appDb?.close();
    await server?.stop();
    await testDb?.drop();
  });

  it(`answers ${SIZES.fuzzRequests} generated hostile requests over every route and role without a 5xx`, async () => {
    const seeded = await seedFuzzData(server.url);
    const doc = (await call(server.url, { path: '/openapi.json' })).body as Parameters<typeof operationsOf>[0] & FuzzContext['doc'];
    const ops = operationsOf(doc).filter((op) => op.path.startsWith('/v1/'));
    const ctx: FuzzContext = { doc, keys: { ...seeded.keys, none: '' }, ids: seeded.ids };
    const arb = requestArb(ops, ctx);
    // First one request for every route as every role, then the rest at random.
    const sweep = ops.flatMap((op, i) =>
      Object.keys(ctx.keys).map((role, j) => fc.sample(requestFor(op, ctx, role), { numRuns: 1, seed: SEED + 1_000 * i + j })[0]!),
    );
    const outcomes: Outcome[] = [];
    const started = Date.now();
    for (let batch = 0; batch * BATCH < SIZES.fuzzRequests; batch++) {
      const count = Math.min(BATCH, SIZES.fuzzRequests - batch * BATCH);
      const reqs =
        batch === 0
          ? [...sweep, ...fc.sample(arb, { numRuns: count - sweep.length, seed: SEED })]
          : fc.sample(arb, { numRuns: count, seed: SEED + batch });
      const done = await pool(
        8,
        reqs.map((req, i) => async (): Promise<Outcome> => {
          if ((batch * BATCH + i) % Math.round(1 / SIZES.fuzzSocketShare) === 0) {
            return { req, via: 'socket', answer: await rawExchange(PORT, encodeRequest(req, PORT)) };
          }
          const res = await app.inject({
            method: req.method as 'GET',
            url: req.url,
            headers: req.headers,
            ...(req.payload === undefined ? {} : { payload: req.payload }),
          });
          return {
            req,
            via: 'inject',
            answer: {
              status: res.statusCode,
              contentType: String(res.headers['content-type'] ?? ''),
              body: res.body,
              requestId: String(res.headers['x-request-id'] ?? ''),
            },
          };
        }),
      );
      outcomes.push(...done);
    }
    const ms = Date.now() - started;

    const protocol = await pool(
      4,
      protocolCases(PORT, seeded.keys.front_desk!).map((c) => async () => ({
        c,
        answer: await rawExchange(PORT, c.bytes, c.mayGoUnanswered ? 3_000 : 15_000),
      })),
    );
    const failures = outcomes.map((o) => ({ o, why: verdict(o) })).filter((f) => f.why);
    const protocolFailures = protocol
      .map(({ c, answer }) => ({
        c,
        answer,
        why:
          answer.status === 0 && c.mayGoUnanswered
            ? undefined
            : verdict({ req: { method: 'GET', url: '', headers: {}, label: c.label }, via: 'socket', answer }),
      }))
      .filter((f) => f.why);
    const ready = await call(server.url, { path: '/readyz' });
    const invariants = await checkInvariants(testDb);
    const polluted =
      Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted') || ({} as Record<string, unknown>).polluted !== undefined;
    const combos = new Set(outcomes.map((o) => `${o.req.label.split(': ')[0]}`));

    // The server's own log line for a failed request: error type, SQLSTATE and the first frame in src/.
    const cause = (id: string | undefined) => {
      const line = id ? [...server.output, ...appLog].find((l) => l.includes(`"reqId":"${id}"`) && l.includes('"err"')) : undefined;
      if (!line) return '';
      const err = (JSON.parse(line) as { err?: { type?: string; code?: string; message?: string; stack?: string[] | string } }).err;
      const stack = Array.isArray(err?.stack) ? err.stack : String(err?.stack ?? '').split('\n');
      return `{${err?.type} ${err?.code ?? ''} ${err?.message?.slice(0, 120) ?? ''} ${stack.find((f) => f.includes('/src/'))?.trim() ?? ''}}`;
    };
    printFigures('hostile-input', {
      seed: SEED,
      routes: ops.length,
      requests: outcomes.length,
      viaInject: outcomes.filter((o) => o.via === 'inject').length,
      viaSocket: outcomes.filter((o) => o.via === 'socket').length,
      protocolCasesOverSocket: protocol.length,
      routeRoleCombinations: combos.size,
      ms,
      requestsPerSecond: Math.round(outcomes.length / (ms / 1000)),
      statuses: tally(outcomes.map((o) => o.answer.status)),
      mutations: tally(
        outcomes.map(
          (o) =>
            o.req.label
              .split(': ')[1]
              ?.replace(/ \d+$|: .*$/, '')
              .replace(/content-type .*/, 'content-type') ?? '?',
        ),
      ),
      protocolStatuses: tally(protocol.map((p) => p.answer.status || 'closed')),
      failures: failures.length + protocolFailures.length,
      firstFailures: [
        ...failures
          .slice(0, 12)
          .map(
            (f) =>
              `${f.why} <- ${f.o.via} ${f.o.req.method} ${f.o.req.url.slice(0, 120)} [${f.o.req.label}] ${f.o.answer.body.slice(0, 100)} ${cause(f.o.answer.requestId)}`,
          ),
        ...protocolFailures.slice(0, 5).map((f) => `${f.why} <- ${f.c.label}: ${f.answer.body.slice(0, 160)}`),
      ],
      serverErrors: [...server.errorLines(), ...appLog.filter((l) => /"level":(50|60)/.test(l))].slice(0, 5).map((l) => l.slice(0, 600)),
    });
    expect(failures.map((f) => `${f.why} <- ${f.o.req.method} ${f.o.req.url.slice(0, 200)} [${f.o.req.label}]`)).toEqual([]);
    expect(protocolFailures.map((f) => `${f.why} <- ${f.c.label}`)).toEqual([]);
    const expectedCombos = ops.flatMap((op) => Object.keys(ctx.keys).map((role) => `${op.method} ${op.path} as ${role}`));
    expect(expectedCombos.filter((c) => !combos.has(c))).toEqual([]);
    expect(polluted).toBe(false);
    expect(ready.status).toBe(200);
    expect(invariants).toEqual(NO_BREAKS);
    expect(server.errorLines()).toEqual([]);
  });
});
