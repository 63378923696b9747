// Every registered route, called with no key, a revoked key and each role, against a table written
// from SPEC §3 (not copied from src/plugins/access-policy.ts). A route added without a row here fails.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes } from '../../../src/plugins/access-policy.ts';
import { createTestApp, factories, type TestApp } from '../../helpers/app.ts';
import { bearer, keysByRole, ROLE_NAMES, type IssuedKey, type RoleName } from './support.ts';

const F = 'front_desk';
const C = 'clinician';
const AU = 'auditor';
const AD = 'admin';
const EVERYONE: RoleName[] = [F, C, AU, AD];

/** SPEC §3's "who" column. GET /v1/me and GET /v1/api-keys are not in SPEC: /me tells any key its own
 * identity; listing keys is key administration, so admin only like issuing and revoking them. */
const EXPECTED: Record<string, RoleName[]> = {
  'POST /v1/api-keys': [AD],
  'DELETE /v1/api-keys/:id': [AD],
  'GET /v1/api-keys': [AD],
  'GET /v1/me': EVERYONE,
  'POST /v1/patients': [F, C, AD],
  'GET /v1/patients': EVERYONE,
  'GET /v1/patients/:id': EVERYONE,
  'PATCH /v1/patients/:id': [F, C, AD],
  'POST /v1/patients/:id/episodes': [C, AD],
  'PATCH /v1/episodes/:id': [C, AD],
  'POST /v1/episodes/:id/close': [C, AD],
  'POST /v1/episodes/:id/red-flag-clearance': [C, AD],
  'POST /v1/episodes/:id/consultations': [C, AD],
  'GET /v1/patients/:id/eligibility': EVERYONE,
  'POST /v1/injections': [F, C, AD],
  'POST /v1/injections/:id/reschedule': [F, C, AD],
  'POST /v1/injections/:id/cancel': [F, C, AD],
  'POST /v1/injections/:id/no-show': [F, C, AD],
  'POST /v1/injections/:id/complete': [C, AD],
  'PUT /v1/injections/:id/outcome': [C, AD],
  'GET /v1/patients/:id/injections': EVERYONE,
  'GET /v1/schedule': EVERYONE,
  'GET /v1/reports/daily': [AU, AD],
  'GET /v1/reports/runs': [AU, AD],
  'GET /v1/audit-events': [AU, AD],
  // SPEC §5: every role reads the payer policies.
  'GET /v1/policies': EVERYONE,
  // SPEC §6: the CDS service is called by any key that may read eligibility; the FHIR reads have the
  // roles of the /v1 reads of the same data.
  'POST /cds-services/esi-appointment-check': EVERYONE,
  'GET /fhir/R4/Patient/:id': EVERYONE,
  'GET /fhir/R4/Patient': EVERYONE,
  'GET /fhir/R4/EpisodeOfCare': EVERYONE,
  'GET /fhir/R4/Condition': EVERYONE,
  'GET /fhir/R4/Appointment': EVERYONE,
  'GET /fhir/R4/Procedure': EVERYONE,
  'GET /fhir/R4/Observation': EVERYONE,
};

/** SPEC §3: unauthenticated routes. The Swagger UI's own files live under /docs. SPEC §6 leaves open
 * whether CDS discovery and the FHIR CapabilityStatement need a key; they hold no patient data and
 * clients read them before they authenticate, so they are public (README). */
const PUBLIC = new Set(['GET /healthz', 'GET /readyz', 'GET /openapi.json', 'GET /docs', 'GET /cds-services', 'GET /fhir/R4/metadata']);
const isKeyed = (url: string) => /^\/(v1|fhir|cds-services)(\/|$)/.test(url);
const isPublic = (route: string) => PUBLIC.has(route) || /^GET \/docs\//.test(route);

let t: TestApp;
let keys: Record<RoleName, IssuedKey>;
let revoked: IssuedKey;

/** HEAD routes Fastify adds for each GET answer like the GET. */
const asGet = (route: string) => route.replace(/^HEAD /, 'GET ');
const routeKey = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

beforeAll(async () => {
  t = await createTestApp();
  keys = await keysByRole(t.app);
  revoked = (await keysByRole(t.app)).admin;
  const del = await factories(t.app).call('DELETE', `/v1/api-keys/${revoked.id}`);
  expect(del.status).toBe(204);
});
afterAll(async () => t.close());

function apiRoutes() {
  return registeredRoutes(t.app)
    .filter((r) => isKeyed(r.url) && !PUBLIC.has(asGet(routeKey(r))))
    .map(routeKey);
}

const isFhir = (route: string) => route.split(' ')[1]!.startsWith('/fhir');

/** A concrete request for a route pattern: unknown ids and empty bodies, so an allowed role gets a
 * 4xx from the handler or validation, never a change to data. */
function requestFor(route: string, headers: Record<string, string>) {
  const [method, pattern] = route.split(' ') as [string, string];
  const url = pattern.replace(/:[A-Za-z]+/g, () => randomUUID());
  const hasBody = ['POST', 'PUT', 'PATCH'].includes(method);
  return { method: method as 'GET', url, headers, ...(hasBody ? { payload: {} } : {}) };
}

describe('the route table', () => {
  it('registers exactly the /v1, /fhir and /cds-services routes SPEC lists, HEAD mirroring GET', () => {
    const registered = [...new Set(apiRoutes().map(asGet))].sort();
    expect(registered).toEqual(Object.keys(EXPECTED).sort());
  });

  it('serves nothing outside the keyed routes except the public routes of SPEC', () => {
    const others = registeredRoutes(t.app)
      .filter((r) => !isKeyed(r.url) || PUBLIC.has(asGet(routeKey(r))))
      .map((r) => asGet(routeKey(r)));
    expect(others.filter((r) => !isPublic(r))).toEqual([]);
    for (const r of PUBLIC) expect(others).toContain(r);
  });
});

describe('every keyed route', () => {
  it('answers 401 problem+json (an OperationOutcome under /fhir) without a key, with a malformed header and with an unknown key', async () => {
    for (const route of apiRoutes()) {
      for (const headers of [{}, { authorization: 'Basic YWRtaW46YWRtaW4=' }, { authorization: 'Bearer' }, bearer(`esk_${randomUUID()}`)]) {
        const res = await t.app.inject(requestFor(route, headers));
        expect({ route, headers, status: res.statusCode }).toEqual({ route, headers, status: 401 });
        if (res.statusCode !== 401 || route.startsWith('HEAD')) continue;
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
        if (isFhir(route)) {
          expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
          expect(res.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] });
          continue;
        }
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.json()).toMatchObject({ status: 401, code: 'AUTH.UNAUTHENTICATED' });
      }
    }
  });

  it('answers 401 to a revoked key, even one that was admin', async () => {
    for (const route of apiRoutes()) {
      const res = await t.app.inject(requestFor(route, bearer(revoked.key)));
      expect({ route, status: res.statusCode }).toEqual({ route, status: 401 });
    }
  });

  it('cannot be reached without a key through an encoded or doubled path', async () => {
    for (const route of apiRoutes().filter((r) => r.includes(' /v1'))) {
      for (const prefix of ['/%761', '/v%31', '/%76%31']) {
        const req = requestFor(route, {});
        const res = await t.app.inject({ ...req, url: req.url.replace(/^\/v1/, prefix) });
        expect({ route, prefix, status: res.statusCode }).toEqual({ route, prefix, status: 401 });
      }
    }
  });

  it.each(ROLE_NAMES)('lets %s through exactly where SPEC allows, and answers 403 elsewhere', async (role) => {
    for (const route of apiRoutes()) {
      const allowed = EXPECTED[asGet(route)]?.includes(role) ?? false;
      const res = await t.app.inject(requestFor(route, bearer(keys[role].key)));
      const outcome =
        res.statusCode === 403 ? 'forbidden' : res.statusCode === 401 ? 'unauthenticated' : res.statusCode >= 500 ? 'crashed' : 'allowed';
      expect({ route, role, outcome }).toEqual({ route, role, outcome: allowed ? 'allowed' : 'forbidden' });
      if (allowed || route.startsWith('HEAD')) continue;
      if (isFhir(route)) expect(res.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'forbidden' }] });
      else expect(res.json()).toMatchObject({ status: 403, code: 'AUTH.FORBIDDEN' });
    }
  });
});

describe('the order of checks', () => {
  it('refuses before validating: no key with a bad body is 401, a forbidden role with a bad body is 403', async () => {
    const noKey = await t.app.inject({ method: 'POST', url: '/v1/patients', payload: { nonsense: true } });
    expect(noKey.statusCode).toBe(401);
    const frontDesk = await t.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: bearer(keys.front_desk.key),
      payload: { role: 'root' },
    });
    expect(frontDesk.statusCode).toBe(403);
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/v1/patients',
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    expect(malformed.statusCode).toBe(401);
  });

  it('answers an unknown /v1, /fhir or /cds-services path 401 without a key and 404 with one', async () => {
    for (const url of ['/fhir/R4/Encounter', '/%66hir/R4/Patient/x/_history', '/cds-services/other', '/fhir']) {
      expect({ url, status: (await t.app.inject({ method: 'GET', url })).statusCode }).toEqual({ url, status: 401 });
    }
    const fhir404 = await t.app.inject({ method: 'GET', url: '/fhir/R4/Encounter', headers: bearer(keys.auditor.key) });
    expect(fhir404.statusCode).toBe(404);
    expect(fhir404.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
    expect((await t.app.inject({ method: 'GET', url: '/v1/secrets' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/%761/secrets' })).statusCode).toBe(401);
    const known = await t.app.inject({ method: 'GET', url: '/v1/secrets', headers: bearer(keys.auditor.key) });
    expect(known.statusCode).toBe(404);
  });

  it('serves the public routes without a key', async () => {
    for (const url of ['/healthz', '/readyz', '/openapi.json', '/cds-services', '/fhir/R4/metadata']) {
      expect({ url, status: (await t.app.inject({ method: 'GET', url })).statusCode }).toEqual({ url, status: 200 });
    }
    const docs = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
  });
});

describe('the OpenAPI document', () => {
  it('declares the bearer scheme and, on each keyed operation, that scheme, the roles SPEC gives it and (POST) the Idempotency-Key header', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const seen: string[] = [];
    for (const [path, ops] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        const route = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
        if (!isKeyed(path) || PUBLIC.has(route)) {
          // Public: no security, or an explicit empty one.
          expect({ route, security: op.security ?? [] }).toEqual({ route, security: [] });
          continue;
        }
        seen.push(route);
        expect({ route, security: op.security }).toEqual({ route, security: [{ bearer: [] }] });
        expect({ route, roles: [...op['x-roles']].sort() }).toEqual({ route, roles: [...(EXPECTED[route] ?? ['missing'])].sort() });
        expect(op.description).toContain('Roles:');
        if (method === 'post') {
          const header = (op.parameters ?? []).find(
            (p: { in: string; name: string }) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key',
          );
          expect({ route, idempotencyKey: header?.required ?? false }).toEqual({ route, idempotencyKey: false });
          expect({ route, documented: header !== undefined }).toEqual({ route, documented: true });
        }
      }
    }
    expect(seen.sort()).toEqual(Object.keys(EXPECTED).sort());
  });
});
