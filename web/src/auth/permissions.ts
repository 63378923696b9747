// What the signed-in key may do. The server says so itself (`GET /v1/me` lists the routes its access
// policy allows the key), so the browser keeps no copy of the role table: each dashboard action names
// the route it calls, and is offered only when that route is in the list. The server still refuses.
import type { Me, Role } from '../api/types';

const ROUTE = {
  'patient.create': 'POST /v1/patients',
  'injection.book': 'POST /v1/injections',
  'injection.reschedule': 'POST /v1/injections/:id/reschedule',
  'injection.cancel': 'POST /v1/injections/:id/cancel',
  'injection.noShow': 'POST /v1/injections/:id/no-show',
  'injection.complete': 'POST /v1/injections/:id/complete',
  'injection.outcome': 'PUT /v1/injections/:id/outcome',
  'episode.open': 'POST /v1/patients/:id/episodes',
  'episode.edit': 'PATCH /v1/episodes/:id',
  'episode.close': 'POST /v1/episodes/:id/close',
  'episode.clearRedFlag': 'POST /v1/episodes/:id/red-flag-clearance',
  'episode.consult': 'POST /v1/episodes/:id/consultations',
  'report.view': 'GET /v1/reports/daily',
  'keys.manage': 'POST /v1/api-keys',
} as const;

export type Action = keyof typeof ROUTE;

export function can(me: Pick<Me, 'may'>, action: Action): boolean {
  return me.may.includes(ROUTE[action]);
}

export const ROLE_LABEL: Record<Role, string> = {
  front_desk: 'Front desk',
  clinician: 'Clinician',
  auditor: 'Auditor',
  admin: 'Administrator',
};
