// Book an injection: the page loads the patient (open episode) and history (clinic zone, last level),
// then hands them to the booking form; without an open episode it says what is needed instead.
import { useEffect } from 'react';
import { useAuth, useCan } from '../auth/auth-context';
import { ErrorNote, Loading } from '../components/status';
import { PageHeading } from '../lib/a11y';
import { learnClinicZone } from '../lib/clinic-zone';
import { keys } from '../lib/query';
import { linkClick, paths } from '../lib/router';
import { useLoad } from '../lib/use-load';
import { BookingForm } from './booking-form';
import { NoEpisodeNote } from './no-episode-note';

export function BookView({ patientId }: { patientId: string }) {
  const { api } = useAuth();
  const can = useCan();
  const patient = useLoad(keys.patient(patientId), (signal) => api.patient(patientId, signal));
  const history = useLoad(keys.history(patientId), (signal) => api.history(patientId, signal));
  useEffect(() => learnClinicZone(history.data?.timeZone), [history.data?.timeZone]);

  if (!can('injection.book'))
    return (
      <section aria-labelledby="book-title">
        <PageHeading id="book-title" title="Book an injection" />
        <p className="state state-error">Your role cannot book injections.</p>
      </section>
    );
  const error = patient.error ?? history.error;
  if (error !== undefined)
    return (
      <section aria-labelledby="book-title">
        <PageHeading id="book-title" title="Book an injection" />
        <ErrorNote
          error={error}
          onRetry={() => {
            patient.reload();
            history.reload();
          }}
        />
      </section>
    );
  if (!patient.data || !history.data) return <Loading what="the patient" />;
  const p = patient.data;
  const last = [...history.data.items].reverse().find((i) => i.status === 'completed' || i.status === 'scheduled');

  return (
    <section aria-labelledby="book-title">
      <nav aria-label="Breadcrumb" className="crumbs">
        <a href={paths.patients()} onClick={linkClick}>
          Patients
        </a>{' '}
        ›{' '}
        <a href={paths.patient(p.id)} onClick={linkClick}>
          {p.givenName} {p.familyName}
        </a>{' '}
        ›
      </nav>
      <PageHeading id="book-title" title={`Book an injection for ${p.givenName} ${p.familyName}`} />
      {p.openEpisode ? (
        <BookingForm patient={p} episode={p.openEpisode} zone={history.data.timeZone} last={last} />
      ) : (
        <NoEpisodeNote name={`${p.givenName} ${p.familyName}`} patientId={p.id} />
      )}
    </section>
  );
}
