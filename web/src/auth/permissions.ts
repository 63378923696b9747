// What each role may do in the dashboard, mirroring the server's access policy (SPEC §3). The server
// still refuses; hiding what a role cannot use keeps screens free of buttons that only answer 403.
import type { Role } from '../api/types';

const WRITERS: readonly Role[] = ['front_desk', 'clinician', 'admin'];
const CLINICAL: readonly Role[] = ['clinician', 'admin'];
const AUDIT: readonly Role[] = ['auditor', 'admin'];

const POLICY = {
  'patient.create': WRITERS,
  'injection.book': WRITERS,
  'injection.reschedule': WRITERS,
  'injection.cancel': WRITERS,
  'injection.noShow': WRITERS,
  'injection.complete': CLINICAL,
  'injection.outcome': CLINICAL,
  'episode.open': CLINICAL,
  'episode.edit': CLINICAL,
  'episode.close': CLINICAL,
  'report.view': AUDIT,
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof POLICY;

export function can(role: Role, action: Action): boolean {
  return POLICY[action].includes(role);
}

export const ROLE_LABEL: Record<Role, string> = {
  front_desk: 'Front desk',
  clinician: 'Clinician',
  auditor: 'Auditor',
  admin: 'Administrator',
};
