import type { ClinicalFlag, InjectionStatus } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { keys } from '../lib/query';
import { useLoad } from '../lib/use-load';

export const STATUS_LABEL: Record<InjectionStatus, string> = {
  scheduled: 'Scheduled',
  completed: 'Completed',
  cancelled: 'Cancelled',
  no_show: 'No-show',
};

export function StatusBadge({ status }: { status: InjectionStatus }) {
  return <span className={`badge status-${status}`}>{STATUS_LABEL[status]}</span>;
}

const FLAG_LABEL: Record<string, string> = {
  SECOND_INJECTION_SUGGESTED: 'Second injection suggested',
  ADDITIONAL_INJECTION_CONSULT: 'Consult before another injection',
  ANNUAL_LIMIT: 'Annual limit',
  SURGICAL_REVIEW: 'Surgical review',
  URGENT_SURGICAL_REVIEW: 'Urgent surgical review',
  BOOKED_NOW_INELIGIBLE: 'Booked injection no longer eligible',
};

/** Clinical flags never block booking; they are shown so a clinician reads them before deciding. */
export function FlagBadges({ flags }: { flags: ClinicalFlag[] }) {
  if (flags.length === 0) return <p className="muted">No clinical flags.</p>;
  return (
    <ul className="flags" aria-label="Clinical flags">
      {flags.map((f) => (
        <li key={f.flag}>
          <span className={`badge flag flag-${f.flag.toLowerCase().replace(/_/g, '-')}`}>{FLAG_LABEL[f.flag] ?? f.flag}</span>
          <span className="flag-message">{f.message}</span>
        </li>
      ))}
    </ul>
  );
}

export const label = (v: string) => v.replace(/_/g, ' ');

/** "L4-L5 and L5-S1", or the sacral hiatus for a caudal injection (no level). */
export const levelsText = (levels: string[]) => (levels.length ? levels.join(' and ') : 'sacral hiatus');

/** The urgent-surgical-review warning for one patient, where a booking is seen (Today, the booking form). */
export function UrgentReviewNote({ flags }: { flags: ClinicalFlag[] }) {
  const urgent = flags.find((f) => f.flag === 'URGENT_SURGICAL_REVIEW');
  if (!urgent) return null;
  return (
    <p className="urgent">
      <span className="badge flag flag-urgent-surgical-review">Urgent surgical review</span>{' '}
      <span className="flag-message">{urgent.message}</span>
    </p>
  );
}

/** Reads the patient (shared with the patient page through the query cache) to show the warning. */
export function UrgentReview({ patientId }: { patientId: string }) {
  const { api } = useAuth();
  const p = useLoad(keys.patient(patientId), (signal) => api.patient(patientId, signal));
  return p.data ? <UrgentReviewNote flags={p.data.flags} /> : null;
}
