// One patient: demographics, clinical flags, the open episode, and the injection history as a timeline
// (what a clinician reviews before the next injection) with a table of the same facts below it.
import { Fragment, useEffect, useState } from 'react';
import type { HistoryItem } from '../api/types';
import { useAuth, useCan } from '../auth/auth-context';
import { FlagBadges, StatusBadge, label, levelsText } from '../components/badges';
import { ActionButtons, ActionForm, type Mode } from '../components/injection-actions';
import { InjectionTimeline } from '../components/injection-timeline';
import { Empty, ErrorNote, Loading, Notice, confirmDone } from '../components/status';
import { PageHeading } from '../lib/a11y';
import { learnClinicZone, useClinicZone } from '../lib/clinic-zone';
import { keys, useAfterChange } from '../lib/query';
import { linkClick, paths } from '../lib/router';
import { dateIn, daysBetween, formatDate, formatDateTime, formatTime } from '../lib/time';
import { useLoad } from '../lib/use-load';
import { EpisodePanel } from './episode-panel';
import { NoEpisodeNote } from './no-episode-note';
import { OutcomeForm } from './outcome-form';

type Open = { id: string; mode: Mode | 'outcome' } | null;

export function PatientView({ id }: { id: string }) {
  const { api } = useAuth();
  const can = useCan();
  const { zone: guess } = useClinicZone();
  const patient = useLoad(keys.patient(id), (signal) => api.patient(id, signal));
  const history = useLoad(keys.history(id), (signal) => api.history(id, signal));
  const afterChange = useAfterChange();
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => learnClinicZone(history.data?.timeZone), [history.data?.timeZone]);
  const zone = history.data?.timeZone ?? guess;

  const changed = (msg: string) => {
    setOpen(null);
    confirmDone(setNotice, msg);
    void afterChange(id);
  };

  if (patient.error !== undefined)
    return (
      <section aria-labelledby="patient-title">
        <PageHeading id="patient-title" title="Patient" />
        <ErrorNote error={patient.error} onRetry={patient.reload} />
      </section>
    );
  const p = patient.data;
  if (!p) return <Loading what="the patient" />;
  const age = Math.floor(daysBetween(p.birthDate, dateIn(zone)) / 365.2425);

  return (
    <section aria-labelledby="patient-title">
      <nav aria-label="Breadcrumb" className="crumbs">
        <a href={paths.patients()} onClick={linkClick}>
          Patients
        </a>{' '}
        ›
      </nav>
      <div className="view-head">
        <div>
          <PageHeading id="patient-title" title={`${p.givenName} ${p.familyName}`} />
          <p className="demographics">
            <span>
              MRN <strong>{p.mrn}</strong>
            </span>
            <span>
              Born {formatDate(p.birthDate, { year: 'numeric', month: 'short', day: 'numeric' })} ({age} y)
            </span>
            {p.phone && <span>Phone {p.phone}</span>}
            {p.email && <span>{p.email}</span>}
          </p>
        </div>
        {can('injection.book') && p.openEpisode && (
          <a className="button primary" href={paths.book(p.id)} onClick={linkClick}>
            Book injection
          </a>
        )}
      </div>
      {can('injection.book') && !p.openEpisode && <NoEpisodeNote name={`${p.givenName} ${p.familyName}`} patientId={p.id} onPatientPage />}
      {notice && <Notice>{notice}</Notice>}
      <div className="columns">
        <div className="card">
          <h2>Clinical flags</h2>
          <FlagBadges flags={p.flags} />
          <h3>Next and last</h3>
          <p>Next: {p.nextInjection ? formatDateTime(p.nextInjection.scheduledAt, zone) : <span className="muted">none booked</span>}</p>
          <p>
            Last:{' '}
            {p.lastInjection ? (
              formatDateTime(p.lastInjection.performedAt ?? p.lastInjection.scheduledAt, zone)
            ) : (
              <span className="muted">none</span>
            )}
          </p>
        </div>
        <EpisodePanel
          patientId={p.id}
          episode={p.openEpisode}
          counted={
            history.data?.items.filter((i) => i.episodeId === p.openEpisode?.id && (i.status === 'scheduled' || i.status === 'completed'))
              .length
          }
          onChanged={changed}
        />
      </div>
      <div className="card">
        <h2>Injection history</h2>
        {history.error !== undefined ? (
          <ErrorNote error={history.error} onRetry={history.reload} />
        ) : !history.data ? (
          <Loading what="the injection history" />
        ) : history.data.items.length === 0 ? (
          <Empty>No injections yet.</Empty>
        ) : (
          <>
            <InjectionTimeline items={history.data.items} today={dateIn(zone)} />
            <HistoryTable
              items={history.data.items}
              zone={zone}
              open={open}
              setOpen={setOpen}
              onDone={changed}
              canOutcome={can('injection.outcome')}
              who={`${p.givenName} ${p.familyName}`}
            />
          </>
        )}
      </div>
    </section>
  );
}

interface TableProps {
  items: HistoryItem[];
  zone: string;
  open: Open;
  setOpen: (o: Open) => void;
  onDone: (m: string) => void;
  canOutcome: boolean;
  who: string;
}

function HistoryTable({ items, zone, open, setOpen, onDone, canOutcome, who }: TableProps) {
  return (
    <table className="table history">
      <caption className="sr-only">Injections, oldest first</caption>
      <thead>
        <tr>
          <th scope="col">When (clinic time)</th>
          <th scope="col">Procedure</th>
          <th scope="col">Status</th>
          <th scope="col">Days since previous</th>
          <th scope="col">Pain before → after</th>
          <th scope="col">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => {
          const mine = open?.id === i.id ? open.mode : null;
          return (
            <Fragment key={i.id}>
              <tr className={`status-row-${i.status}`}>
                <td>
                  {formatDate(i.localDate)}
                  <div className="muted small">{formatTime(i.performedAt ?? i.scheduledAt, zone)}</div>
                </td>
                <td>
                  <strong>{levelsText(i.levels)}</strong> · {label(i.side)}{' '}
                  <div className="muted small">
                    {i.approach}, {i.region}
                  </div>
                </td>
                <td>
                  <StatusBadge status={i.status} />
                  {i.cancelReason && <div className="muted small">{i.cancelReason}</div>}
                </td>
                <td>{i.daysSincePrevious ?? <span className="muted">—</span>}</td>
                <td>
                  {i.outcome ? (
                    <>
                      {i.outcome.painBefore} → {i.outcome.painAfter} <span className="muted">({i.outcome.percentImprovement}% better)</span>
                    </>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>
                  <ActionButtons
                    injection={i}
                    open={mine === 'outcome' ? null : mine}
                    onOpen={(m) => setOpen(m ? { id: i.id, mode: m } : null)}
                  />
                  {canOutcome && i.status === 'completed' && (
                    <button
                      type="button"
                      className="button small"
                      aria-expanded={mine === 'outcome'}
                      onClick={() => setOpen(mine === 'outcome' ? null : { id: i.id, mode: 'outcome' })}
                    >
                      {i.outcome ? 'Edit outcome' : 'Record outcome'}
                    </button>
                  )}
                </td>
              </tr>
              {mine && (
                <tr className="form-row">
                  <td colSpan={6}>
                    {mine === 'outcome' ? (
                      <OutcomeForm injection={i} zone={zone} onSaved={() => onDone('Outcome recorded.')} onClose={() => setOpen(null)} />
                    ) : (
                      <ActionForm injection={i} who={who} zone={zone} mode={mine} onDone={onDone} onClose={() => setOpen(null)} />
                    )}
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
