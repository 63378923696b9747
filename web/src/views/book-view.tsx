// Book an injection: the page loads the patient (open episode) and history (clinic zone, last level),
// then hands them to the booking form.
import { useEffect } from 'react';
import { useAuth, useCan } from '../auth/auth-context';
import { ErrorNote, Loading } from '../components/status';
import { learnClinicZone } from '../lib/clinic-zone';
import { linkClick, paths } from '../lib/router';
import { useLoad } from '../lib/use-load';
import { BookingForm } from './booking-form';

export function BookView({ patientId }: { patientId: string }) {
  const { api } = useAuth();
  const can = useCan();
  const patient = useLoad(`patient:${patientId}`, (signal) => api.patient(patientId, signal));
  const history = useLoad(`history:${patientId}`, (signal) => api.history(patientId, signal));
  useEffect(() => learnClinicZone(history.data?.timeZone), [history.data?.timeZone]);

  if (!can('injection.book'))
    return (
      <p className="state state-error" role="alert">
        Your role cannot book injections.
      </p>
    );
  const error = patient.error ?? history.error;
  if (error !== undefined)
    return (
      <ErrorNote
        error={error}
        onRetry={() => {
          patient.reload();
          history.reload();
        }}
      />
    );
  if (!patient.data || !history.data) return <Loading what="the patient" />;
  const p = patient.data;
  const last = [...history.data.items].reverse().find((i) => i.status === 'completed' || i.status === 'scheduled');

  return (
    <section aria-labelledby="book-title">
      <p className="crumbs">
        <a href={paths.patients()} onClick={linkClick}>
          Patients
        </a>{' '}
        ›{' '}
        <a href={paths.patient(p.id)} onClick={linkClick}>
          {p.givenName} {p.familyName}
        </a>{' '}
        ›
      </p>
      <h1 id="book-title">
        Book an injection for {p.givenName} {p.familyName}
      </h1>
      {p.openEpisode ? (
        <BookingForm patient={p} episode={p.openEpisode} zone={history.data.timeZone} last={last} />
      ) : (
        <p className="state state-error" role="alert">
          {p.givenName} {p.familyName} has no open episode. A clinician must open one before an injection can be booked.
        </p>
      )}
    </section>
  );
}
