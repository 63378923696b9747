import type { ClinicalFlag, InjectionStatus } from '../api/types';

const STATUS_LABEL: Record<InjectionStatus, string> = {
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
