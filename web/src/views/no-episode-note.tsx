// Said before anyone clicks "Book": an injection needs an open care episode, which a clinician opens.
import { useCan } from '../auth/auth-context';
import { linkClick, paths } from '../lib/router';

export function NoEpisodeNote({ name, patientId, onPatientPage = false }: { name: string; patientId: string; onPatientPage?: boolean }) {
  const can = useCan();
  return (
    <div className="state state-info no-episode">
      <p>
        <strong>{name} has no open care episode, so no injection can be booked yet.</strong>{' '}
        {can('episode.open')
          ? onPatientPage
            ? 'Open an episode below (region, diagnosis, when conservative care started), then book.'
            : 'Open an episode on the patient page first, then book.'
          : 'A clinician must open one first (region, diagnosis and when conservative care started); ask them, then book.'}
      </p>
      {!onPatientPage && (
        <a href={paths.patient(patientId)} onClick={linkClick}>
          Back to {name}
        </a>
      )}
    </div>
  );
}
