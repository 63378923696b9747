// The one declarative table of who may call what (SPEC §3). The auth plugin refuses any /v1 route
// missing from this table, and a test walks every registered route against its own reading of SPEC.
import type { FastifyInstance } from 'fastify';
import type { Role } from '../generated/prisma/enums.ts';

export type { Role };
export const ROLES = ['front_desk', 'clinician', 'auditor', 'admin'] as const satisfies readonly Role[];

const ALL: Role[] = ['front_desk', 'clinician', 'auditor', 'admin'];
const WRITERS: Role[] = ['front_desk', 'clinician', 'admin'];
const CLINICAL: Role[] = ['clinician', 'admin'];
const AUDIT: Role[] = ['auditor', 'admin'];
const ADMIN: Role[] = ['admin'];

export const ACCESS_POLICY: Readonly<Record<string, readonly Role[]>> = {
  'GET /v1/me': ALL,
  'POST /v1/api-keys': ADMIN,
  'GET /v1/api-keys': ADMIN,
  'DELETE /v1/api-keys/:id': ADMIN,
  'POST /v1/patients': WRITERS,
  'GET /v1/patients': ALL,
  'GET /v1/patients/:id': ALL,
  'PATCH /v1/patients/:id': WRITERS,
  'POST /v1/patients/:id/episodes': CLINICAL,
  'PATCH /v1/episodes/:id': CLINICAL,
  'POST /v1/episodes/:id/close': CLINICAL,
  'POST /v1/episodes/:id/red-flag-clearance': CLINICAL,
  'POST /v1/episodes/:id/consultations': CLINICAL,
  'GET /v1/patients/:id/eligibility': ALL,
  'POST /v1/injections': WRITERS,
  'POST /v1/injections/:id/reschedule': WRITERS,
  'POST /v1/injections/:id/cancel': WRITERS,
  'POST /v1/injections/:id/no-show': WRITERS,
  'POST /v1/injections/:id/complete': CLINICAL,
  'PUT /v1/injections/:id/outcome': CLINICAL,
  'GET /v1/patients/:id/injections': ALL,
  'GET /v1/schedule': ALL,
  'GET /v1/reports/daily': AUDIT,
  'GET /v1/reports/runs': AUDIT,
  'GET /v1/audit-events': AUDIT,
  'GET /v1/policies': ALL,
  // SPEC §6: the CDS service answers eligibility, so every role that may read eligibility may call it
  // (a CDS client's JWT acts with the role its entry in CDS_CLIENTS_FILE gives, front_desk by default).
  'POST /cds-services/esi-appointment-check': ALL,
  // SPEC §6: the FHIR read API has the same roles as the /v1 reads of the same data.
  'GET /fhir/R4/Patient/:id': ALL,
  'GET /fhir/R4/Patient': ALL,
  'GET /fhir/R4/EpisodeOfCare': ALL,
  'GET /fhir/R4/Condition': ALL,
  'GET /fhir/R4/Appointment': ALL,
  'GET /fhir/R4/Procedure': ALL,
  'GET /fhir/R4/Observation': ALL,
};

/** The roles allowed on a route pattern (e.g. `/v1/patients/:id`); HEAD is the GET it mirrors. */
export function allowedRoles(method: string, routeUrl: string): readonly Role[] | undefined {
  const m = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  return ACCESS_POLICY[`${m} ${routeUrl}`];
}

/** Routes that describe the service and hold no patient data, public like /openapi.json: CDS Hooks
 * discovery (EHRs read it when the service is registered) and the FHIR CapabilityStatement (FHIR
 * clients read it before they authenticate). */
export const PUBLIC_INTEROP_ROUTES: readonly string[] = ['/cds-services', '/fhir/R4/metadata'];

/** Routes under /v1, /fhir and /cds-services need a key, but for PUBLIC_INTEROP_ROUTES; everything else
 * (health, docs, dashboard) is public by SPEC §3. */
export const isApiRoute = (routeUrl: string) =>
  routeUrl === '/v1' ||
  routeUrl.startsWith('/v1/') ||
  ((routeUrl === '/fhir' || routeUrl.startsWith('/fhir/') || routeUrl.startsWith('/cds-services/')) &&
    !PUBLIC_INTEROP_ROUTES.includes(routeUrl));

/** An unmatched path (404) needs a key where a matched one would: unknown API paths cannot be probed. */
export const isApiPath = (decodedPath: string) => /^\/+(v1|fhir)(\/|$)/i.test(decodedPath) || /^\/+cds-services\/./i.test(decodedPath);

export interface RegisteredRoute {
  method: string;
  url: string;
}

const REGISTRY = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Query parameter names a route declares (a zod object's shape or a JSON schema's properties). */
function queryNames(schema: unknown): string[] {
  const qs = schema as { shape?: Record<string, unknown>; properties?: Record<string, unknown> } | undefined;
  return Object.keys(qs?.shape ?? qs?.properties ?? {});
}

/** Records every route the app registers from here on (call before any plugin), for `registeredRoutes`. */
export function trackRoutes(app: FastifyInstance, onRoute?: (url: string, queryNames: string[]) => void): void {
  const list: RegisteredRoute[] = [];
  REGISTRY.set(app, list);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) list.push({ method: String(method).toUpperCase(), url: route.url });
    onRoute?.(route.url, queryNames(route.schema?.querystring));
  });
}

/** Every method + path the app serves, HEAD routes Fastify adds for GET included. */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return REGISTRY.get(app) ?? [];
}
