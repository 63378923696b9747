// The one declarative table of who may call what (SPEC §3). The auth plugin refuses any /v1 route
// missing from this table, and a test walks every registered route against it.
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
};

export function allowedRoles(method: string, routeUrl: string): readonly Role[] | undefined {
  return ACCESS_POLICY[`${method} ${routeUrl}`];
}
