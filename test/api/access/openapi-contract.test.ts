// The OpenAPI document is the contract a validating proxy or a generated client holds us to: every
// status a route can answer is listed (problem+json), every input string and array is bounded, and
// what the service really answers is in the document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_POLICY, ROLES } from '../../../src/plugins/access-policy.ts';
import { ADMIN_KEY, createTestApp, factories, type TestApp } from '../../helpers/app.ts';
import { bearer } from './support.ts';

type Json = Record<string, any>;
let t: TestApp;
let doc: Json;

beforeAll(async () => {
  t = await createTestApp();
  doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
});
afterAll(async () => t.close());

const operations = () =>
  Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        op,
        key: `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
      })),
  );

/** Every string without maxLength (or an enum/const) and every array without maxItems, by path. */
function unbounded(schema: Json | undefined, where: string, out: string[], seen = new Set<string>()): string[] {
  if (!schema || typeof schema !== 'object') return out;
  if (schema.$ref) {
    const name = String(schema.$ref).split('/').pop()!;
    if (!seen.has(name)) unbounded(doc.components.schemas[name], `${where}->${name}`, out, new Set([...seen, name]));
    return out;
  }
  const types = [schema.type].flat();
  if (types.includes('string') && schema.maxLength === undefined && !schema.enum && schema.const === undefined)
    out.push(`${where}: string`);
  if (types.includes('array') && schema.maxItems === undefined) out.push(`${where}: array`);
  for (const [k, v] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) unbounded(v, `${where}.${k}`, out, seen);
  if (schema.items) unbounded(schema.items, `${where}[]`, out, seen);
  for (const k of ['anyOf', 'oneOf', 'allOf']) (schema[k] ?? []).forEach((s: Json, i: number) => unbounded(s, `${where}|${i}`, out, seen));
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object')
    unbounded(schema.additionalProperties, `${where}{}`, out, seen);
  return out;
}

describe('the OpenAPI document', () => {
  it('documents every keyed route in the access policy (/v1, /fhir and the CDS service)', () => {
    const documented = operations()
      .filter((o) => /^\/(v1|fhir|cds-services)\//.test(o.path))
      .map((o) => o.key)
      .filter((k) => ACCESS_POLICY[k] !== undefined || k.includes(' /v1/'))
      .sort();
    expect(documented).toEqual(Object.keys(ACCESS_POLICY).sort());
  });

  it('lists 401, 429, 500 and 503 on every route, 403 where a role may not act, 404 with an id, 413/415 with a body, 409/422 on POST', () => {
    for (const { method, path, op, key } of operations().filter((o) => o.path.startsWith('/v1/'))) {
      const statuses = Object.keys(op.responses);
      const expected = ['400', '401', '429', '500', '503'];
      if ((ACCESS_POLICY[key]?.length ?? 0) < ROLES.length) expected.push('403');
      if (path.includes('{')) expected.push('404');
      if (['POST', 'PUT', 'PATCH'].includes(method)) expected.push('413', '415');
      if (method === 'POST') expected.push('409', '422');
      expect({ key, missing: expected.filter((s) => !statuses.includes(s)) }).toEqual({ key, missing: [] });
      for (const s of statuses.filter((x) => Number(x) >= 400)) {
        expect({ key, s, content: Object.keys(op.responses[s].content ?? {}) }).toEqual({ key, s, content: ['application/problem+json'] });
      }
      expect(op.responses['429'].headers).toHaveProperty('Retry-After');
      expect(op.responses['429'].headers).toHaveProperty('RateLimit-Limit');
      expect(op.responses['401'].headers).toHaveProperty('WWW-Authenticate');
      expect(op.operationId).toEqual(expect.any(String));
    }
    expect(new Set(operations().map((o) => o.op.operationId)).size).toBe(operations().length);
  });

  it('bounds every input string and array: path, query, headers and bodies', () => {
    const problems: string[] = [];
    for (const { op, key } of operations()) {
      for (const p of op.parameters ?? []) unbounded(p.schema, `${key} ${p.in}:${p.name}`, problems);
      for (const [type, media] of Object.entries((op.requestBody?.content ?? {}) as Record<string, Json>)) {
        unbounded(media.schema, `${key} body(${type})`, problems);
      }
    }
    expect(problems).toEqual([]);
  });

  it('lists what the service really answers', async () => {
    const answered: [string, string, number][] = [];
    const record = async (key: string, res: { statusCode: number }) => answered.push([key, String(res.statusCode), res.statusCode]);
    const big = JSON.stringify({ mrn: 'x'.repeat(1024 * 1024) });
    await record(
      'post:/v1/patients',
      await t.app.inject({
        method: 'POST',
        url: '/v1/patients',
        headers: { ...bearer(ADMIN_KEY), 'content-type': 'application/json' },
        payload: big,
      }),
    );
    await record(
      'post:/v1/patients',
      await t.app.inject({
        method: 'POST',
        url: '/v1/patients',
        headers: { ...bearer(ADMIN_KEY), 'content-type': 'text/plain' },
        payload: 'hi',
      }),
    );
    const desk = (await factories(t.app).apiKey('front_desk')).key;
    await record('get:/v1/audit-events', await t.app.inject({ method: 'GET', url: '/v1/audit-events', headers: bearer(desk) }));
    await record('get:/v1/me', await t.app.inject({ method: 'GET', url: '/v1/me' }));
    await record(
      'delete:/v1/api-keys/{id}',
      await t.app.inject({ method: 'DELETE', url: '/v1/api-keys/00000000-0000-4000-8000-00000000abcd', headers: bearer(ADMIN_KEY) }),
    );
    expect(answered.map(([, s]) => s)).toEqual(['413', '415', '403', '401', '404']);
    for (const [key, status] of answered) {
      const [method, path] = key.split(':') as [string, string];
      expect({ key, status, listed: status in doc.paths[path][method].responses }).toEqual({ key, status, listed: true });
    }
  });
});
