// Patients: search by MRN or name, page on with the API's cursor, and register a new patient.
import { useState, type FormEvent } from 'react';
import type { Patient } from '../api/types';
import { useAuth, useCan } from '../auth/auth-context';
import { Empty, ErrorNote, Loading } from '../components/status';
import { PageHeading } from '../lib/a11y';
import { keys } from '../lib/query';
import { linkClick, navigate, paths } from '../lib/router';
import { formatDate } from '../lib/time';
import { useLoad } from '../lib/use-load';
import { NewPatientForm } from './new-patient-form';

export function PatientsView({ q }: { q: string }) {
  const { api } = useAuth();
  const can = useCan();
  const [text, setText] = useState(q);
  const [creating, setCreating] = useState(false);
  const first = useLoad(keys.patients(q), (signal) => api.searchPatients(q, undefined, signal));
  const [more, setMore] = useState<{ q: string; items: Patient[]; next: string | null; error?: unknown; busy?: boolean } | null>(null);
  const extra = more?.q === q ? more : null;
  const items = [...(first.data?.items ?? []), ...(extra?.items ?? [])];
  const next = extra ? extra.next : (first.data?.nextCursor ?? null);

  function search(e: FormEvent) {
    e.preventDefault();
    setMore(null);
    navigate(paths.patients(text.trim()), { replace: true });
  }

  async function loadMore() {
    if (!next) return;
    setMore({ q, items: extra?.items ?? [], next, busy: true });
    try {
      const page = await api.searchPatients(q, next);
      setMore({ q, items: [...(extra?.items ?? []), ...page.items], next: page.nextCursor });
    } catch (error) {
      setMore({ q, items: extra?.items ?? [], next, error });
    }
  }

  return (
    <section aria-labelledby="patients-title">
      <div className="view-head">
        <PageHeading id="patients-title" title={q ? `Patients matching “${q}”` : 'Patients'} />
        {can('patient.create') && !creating && (
          <button type="button" className="button primary" onClick={() => setCreating(true)}>
            New patient
          </button>
        )}
      </div>
      {creating && <NewPatientForm onCancel={() => setCreating(false)} onCreated={(p) => navigate(paths.patient(p.id))} />}
      <form className="search" role="search" onSubmit={search}>
        <label htmlFor="patient-q">MRN or name</label>
        <input
          id="patient-q"
          type="search"
          value={text}
          maxLength={100}
          onChange={(e) => setText(e.target.value)}
          placeholder="e.g. MRN-1042 or Example"
        />
        <button type="submit" className="button primary">
          Search
        </button>
      </form>
      {first.error !== undefined ? (
        <ErrorNote error={first.error} onRetry={first.reload} />
      ) : !first.data ? (
        <Loading what="patients" />
      ) : items.length === 0 ? (
        <Empty>{q ? `No patient matches “${q}”.` : 'No patients registered yet.'}</Empty>
      ) : (
        <>
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Patients found">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">MRN</th>
                  <th scope="col">Born</th>
                  <th scope="col">Phone</th>
                </tr>
              </thead>
              <tbody>
                {items.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <a href={paths.patient(p.id)} onClick={linkClick}>
                        {p.familyName}, {p.givenName}
                      </a>
                    </td>
                    <td>{p.mrn}</td>
                    <td>{formatDate(p.birthDate, { year: 'numeric', month: 'short', day: 'numeric' })}</td>
                    <td>{p.phone ?? <span className="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {extra?.error !== undefined && <ErrorNote error={extra.error} />}
          {next && (
            <button type="button" className="button secondary" onClick={() => void loadMore()} disabled={extra?.busy}>
              {extra?.busy ? 'Loading…' : 'Show more patients'}
            </button>
          )}
        </>
      )}
    </section>
  );
}
