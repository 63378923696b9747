// One fast-check arbitrary for a whole request: a route of the OpenAPI document, a role, parameters and
// a body from its schemas, and — about half the time — hostile mutations of any part of it.
import fc from 'fast-check';
import { arbitraryFor, type Hints, type Operation, type SchemaDoc } from './schema-arbitrary.ts';
import {
  badAuthorization,
  contentType,
  pct,
  deepJson,
  edgeDate,
  edgeInstant,
  hostileQuery,
  hostileSegment,
  hostileText,
  invalidUtf8Json,
  pollutedJson,
  wrongType,
} from './hostile.ts';

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** What was done to the request, for the report and for reproducing a failure. */
  label: string;
}

export interface FuzzContext {
  doc: SchemaDoc;
  /** API key per role; `none`, `revoked` and `garbage` are added here. */
  keys: Record<string, string>;
  ids: { patients: string[]; episodes: string[]; injections: string[]; apiKeys: string[] };
}

const DATE_FIELDS = new Set(['birthDate', 'conservativeCareStartedOn', 'assessedOn', 'on', 'date']);
const INSTANT_FIELDS = new Set(['scheduledAt', 'performedAt']);

function hintsFor(ctx: FuzzContext): Hints {
  const known = (list: string[]) => (list.length ? fc.constantFrom(...list) : fc.uuid());
  return (name) => {
    if (name === 'patientId') return fc.oneof({ weight: 8, arbitrary: known(ctx.ids.patients) }, { weight: 1, arbitrary: fc.uuid() });
    if (name === 'episodeId') return fc.oneof({ weight: 8, arbitrary: known(ctx.ids.episodes) }, { weight: 1, arbitrary: fc.uuid() });
    if (INSTANT_FIELDS.has(name)) {
      const near = fc.integer({ min: -400, max: 400 }).map((d) => new Date(Date.UTC(2031, 0, 6 + d, 14)).toISOString());
      return fc.oneof({ weight: 6, arbitrary: near }, { weight: 2, arbitrary: edgeInstant });
    }
    if (DATE_FIELDS.has(name)) {
      const plain = fc
        .date({ min: new Date('1920-01-01'), max: new Date('2035-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
      return fc.oneof({ weight: 6, arbitrary: plain }, { weight: 2, arbitrary: edgeDate });
    }
    return undefined;
  };
}

function idsForPath(path: string, ctx: FuzzContext): string[] {
  if (path.startsWith('/v1/patients')) return ctx.ids.patients;
  if (path.startsWith('/v1/episodes')) return ctx.ids.episodes;
  if (path.startsWith('/v1/injections')) return ctx.ids.injections;
  return ctx.ids.apiKeys;
}

/** One field gets hostile text or a value of the wrong kind. */
function withHostileFields(value: unknown): fc.Arbitrary<unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return fc.constant(value);
  const keys = Object.keys(value);
  if (keys.length === 0) return fc.constant(value);
  return fc.tuple(fc.constantFrom(...keys), fc.oneof(hostileText, wrongType)).map(([k, v]) => ({ ...value, [k]: v }));
}

type Body = { payload?: string | Buffer; contentType?: string; label: string };

function bodyArb(op: Operation, ctx: FuzzContext, hints: Hints): fc.Arbitrary<Body> {
  const base = op.body ? arbitraryFor(op.body, ctx.doc, hints) : fc.constant(undefined);
  const json =
    (label: string) =>
    (v: unknown): Body => ({ payload: JSON.stringify(v) ?? '', contentType: 'application/json', label });
  return base.chain((value) =>
    fc.oneof(
      { weight: 10, arbitrary: fc.constant(value === undefined ? { label: 'no body' } : json('schema body')(value)) },
      { weight: 3, arbitrary: withHostileFields(value).map(json('hostile field')) },
      {
        weight: 1,
        arbitrary: fc
          .record({ extra: fc.string({ maxLength: 8 }) })
          .map((x) => json('unknown field')({ ...(value as object), [`x_${x.extra}`]: 1 })),
      },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom(10_000, 200_000, 1_200_000)
          .map((n) => json(`huge string ${n}`)({ ...(value as object), diagnosis: 'A'.repeat(n), name: 'B'.repeat(n) })),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.constantFrom(100, 1_000, 10_000, 100_000), fc.boolean())
          .map(([d, arr]): Body => ({ payload: deepJson(d, arr), contentType: 'application/json', label: `nesting ${d}` })),
      },
      {
        weight: 2,
        arbitrary: fc
          .nat(3)
          .map((v): Body => ({ payload: pollutedJson(value, v), contentType: 'application/json', label: `prototype keys ${v}` })),
      },
      {
        weight: 1,
        arbitrary: fc
          .nat(5)
          .map((v): Body => ({ payload: invalidUtf8Json(value, v), contentType: 'application/json', label: `invalid utf-8 ${v}` })),
      },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom('', 'null', '[]', '123', '"text"', 'true', '{', '{"a":', '{"a":1}}', '\u0000', '{"a":NaN}', "{'a':1}")
          .map((p): Body => ({ payload: p, contentType: 'application/json', label: `not an object: ${JSON.stringify(p)}` })),
      },
      {
        weight: 1,
        arbitrary: fc
          .uint8Array({ maxLength: 64 })
          .map((b): Body => ({ payload: Buffer.from(b), contentType: 'application/json', label: 'random bytes' })),
      },
      {
        weight: 2,
        arbitrary: contentType.map((ct): Body => ({ payload: JSON.stringify(value ?? {}), contentType: ct, label: `content-type ${ct}` })),
      },
    ),
  );
}

function queryArb(op: Operation, hints: Hints, ctx: FuzzContext): fc.Arbitrary<string> {
  const params = op.query.map((p) =>
    fc.option(
      fc
        .oneof({ weight: 5, arbitrary: hints(p.name) ?? arbitraryFor(p.schema, ctx.doc, hints) }, { weight: 1, arbitrary: hostileText })
        .map((v) => `${p.name}=${pct(String(v))}`),
      { freq: p.required ? 8 : 3 },
    ),
  );
  return fc.tuple(fc.tuple(...params), fc.option(hostileQuery, { freq: 4 })).map(([values, extra]) => {
    const parts = [...values.filter((v): v is string => v !== null), ...(extra ? [extra] : [])];
    return parts.length ? `?${parts.join('&')}` : '';
  });
}

function headersArb(op: Operation, ctx: FuzzContext, fixedRole?: string): fc.Arbitrary<{ headers: Record<string, string>; label: string }> {
  // Mostly valid keys, so most requests get past authentication (failed ones are rate limited, 429).
  const valid = Object.keys(ctx.keys).filter((r) => ['admin', 'front_desk', 'clinician', 'auditor'].includes(r));
  const invalid = Object.keys(ctx.keys).filter((r) => !valid.includes(r));
  return fc
    .record({
      role:
        fixedRole !== undefined
          ? fc.constant(fixedRole)
          : fc.oneof(
              { weight: 16, arbitrary: fc.constantFrom(...valid) },
              { weight: 3, arbitrary: fc.constantFrom(...invalid) },
              { weight: 1, arbitrary: badAuthorization.map((a) => `raw:${a}`) },
            ),
      idem: fc.option(
        fc.oneof(
          fc.uuid(),
          fc.constant('fuzz-reused-key'),
          fc.constantFrom('"quoted-key"', '', 'k'.repeat(300), 'with space', '"unterminated'),
        ),
        { freq: 2 },
      ),
      accept: fc.option(
        fc.constantFrom('text/csv', 'application/json', '*/*', 'text/html', 'application/problem+json', 'text/csv;q=0.1, application/json'),
        { freq: 4 },
      ),
      requestId: fc.option(fc.constantFrom('abc', 'x'.repeat(100), 'id with space', '<script>', '../../x'), { freq: 6 }),
    })
    .map(({ role, idem, accept, requestId }) => {
      const headers: Record<string, string> = {};
      const key = role.startsWith('raw:') ? undefined : ctx.keys[role];
      if (role.startsWith('raw:')) headers.authorization = role.slice(4);
      else if (key) headers.authorization = `Bearer ${key}`;
      if (idem !== null && op.method === 'POST') headers['idempotency-key'] = idem;
      if (accept !== null) headers.accept = accept;
      if (requestId !== null) headers['x-request-id'] = requestId;
      return { headers, label: role.startsWith('raw:') ? 'bad authorization' : role };
    });
}

/** Requests for one route; with `role`, always as that role (the sweep over every route and role). */
export function requestFor(op: Operation, ctx: FuzzContext, role?: string): fc.Arbitrary<FuzzRequest> {
  const hints = hintsFor(ctx);
  const ids = idsForPath(op.path, ctx);
  const segment = fc.oneof(
    { weight: 8, arbitrary: ids.length ? fc.constantFrom(...ids) : fc.uuid() },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: hostileSegment },
  );
  const method = fc.oneof(
    { weight: 30, arbitrary: fc.constant(op.method) },
    { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD') },
  );
  return fc
    .record({ method, id: segment, query: queryArb(op, hints, ctx), body: bodyArb(op, ctx, hints), head: headersArb(op, ctx, role) })
    .map(({ method: m, id, query, body, head }) => {
      const headers = { ...head.headers };
      if (body.contentType && m !== 'GET' && m !== 'HEAD') headers['content-type'] = body.contentType;
      return {
        method: m,
        url: op.path.replace(/\{[^}]+\}/g, id) + query,
        headers,
        ...(body.payload !== undefined && m !== 'GET' && m !== 'HEAD' ? { payload: body.payload } : {}),
        label: `${op.method} ${op.path} as ${head.label}: ${body.label}`,
      };
    });
}

export function requestArb(ops: Operation[], ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  return fc.constantFrom(...ops).chain((op) => requestFor(op, ctx));
}
