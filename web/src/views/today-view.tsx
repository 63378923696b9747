// Today (the default view): the day's injections in clinic time, with the actions each role may take.
import { Fragment, useEffect, useState } from 'react';
import type { InjectionStatus, ScheduleItem } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { STATUS_LABEL, StatusBadge, UrgentReview, label, levelsText } from '../components/badges';
import { ActionButtons, ActionForm, type Mode } from '../components/injection-actions';
import { Empty, ErrorNote, Loading, Notice, confirmDone } from '../components/status';
import { PageHeading } from '../lib/a11y';
import { learnClinicZone, useClinicZone } from '../lib/clinic-zone';
import { keys, useAfterChange } from '../lib/query';
import { linkClick, navigate, paths } from '../lib/router';
import { addDays, dateIn, formatDate, formatTime, isIsoDate } from '../lib/time';
import { useLoad } from '../lib/use-load';

export function TodayView({ date }: { date: string | null }) {
  const { api } = useAuth();
  const { zone } = useClinicZone();
  const today = dateIn(zone);
  const day = date && isIsoDate(date) ? date : today;
  const schedule = useLoad(keys.schedule(day), (signal) => api.schedule(day, signal));
  const [open, setOpen] = useState<{ id: string; mode: Mode } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [show, setShow] = useState<InjectionStatus | 'all'>('all');
  const afterChange = useAfterChange();

  useEffect(() => learnClinicZone(schedule.data?.timeZone), [schedule.data?.timeZone]);

  const go = (d: string) => {
    setOpen(null);
    setNotice(null);
    navigate(paths.today(d === today ? undefined : d), { replace: true });
  };
  const all = schedule.data?.items ?? [];
  const items = show === 'all' ? all : all.filter((i) => i.status === show);
  const counts = all.reduce<Record<string, number>>((acc, i) => ({ ...acc, [i.status]: (acc[i.status] ?? 0) + 1 }), {});

  return (
    <section aria-labelledby="today-title">
      <div className="view-head">
        <div>
          <PageHeading
            id="today-title"
            title={`${day === today ? 'Today' : 'Schedule'}: ${formatDate(day, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' })}`}
          />
          <p className="muted">Times are clinic time ({schedule.data?.timeZone ?? zone}).</p>
        </div>
        <div className="day-picker" role="group" aria-label="Choose the day">
          <button type="button" className="button secondary" onClick={() => go(addDays(day, -1))} aria-label="Previous day">
            ‹
          </button>
          <label className="sr-only" htmlFor="schedule-date">
            Date
          </label>
          <input id="schedule-date" type="date" value={day} onChange={(e) => isIsoDate(e.target.value) && go(e.target.value)} />
          <button type="button" className="button secondary" onClick={() => go(addDays(day, 1))} aria-label="Next day">
            ›
          </button>
          {day !== today && (
            <button type="button" className="button secondary" onClick={() => go(today)}>
              Today
            </button>
          )}
        </div>
      </div>
      {notice && <Notice>{notice}</Notice>}
      {schedule.error !== undefined ? (
        <ErrorNote error={schedule.error} onRetry={schedule.reload} />
      ) : !schedule.data ? (
        <Loading what="the schedule" />
      ) : all.length === 0 ? (
        <Empty>No injections on this day.</Empty>
      ) : (
        <>
          <div className="summary-row">
            <p className="summary">
              {all.length} injection{all.length === 1 ? '' : 's'}
              {Object.entries(counts).map(([s, n]) => ` · ${n} ${label(s)}`)}
            </p>
            <div className="field inline">
              <label htmlFor="status-filter">Show</label>
              <select id="status-filter" value={show} onChange={(e) => setShow(e.target.value as InjectionStatus | 'all')}>
                <option value="all">All statuses</option>
                {(Object.keys(STATUS_LABEL) as InjectionStatus[]).map((st) => (
                  <option key={st} value={st}>
                    {STATUS_LABEL[st]} only ({counts[st] ?? 0})
                  </option>
                ))}
              </select>
            </div>
          </div>
          {items.length === 0 ? (
            <Empty>No {STATUS_LABEL[show as InjectionStatus].toLowerCase()} injections on this day.</Empty>
          ) : (
            <table className="table schedule">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Patient</th>
                  <th scope="col">Procedure</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((item) => (
                  <Row
                    key={item.id}
                    item={item}
                    zone={schedule.data?.timeZone ?? zone}
                    open={open?.id === item.id ? open.mode : null}
                    onOpen={(mode) => setOpen(mode ? { id: item.id, mode } : null)}
                    onDone={(msg) => {
                      setOpen(null);
                      confirmDone(setNotice, msg);
                      void afterChange(item.patient.id);
                    }}
                  />
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

interface RowProps {
  item: ScheduleItem;
  zone: string;
  open: Mode | null;
  onOpen: (m: Mode | null) => void;
  onDone: (msg: string) => void;
}

function Row({ item, zone, open, onOpen, onDone }: RowProps) {
  const who = `${item.patient.givenName} ${item.patient.familyName}`;
  return (
    <Fragment>
      <tr className={`status-row-${item.status}`}>
        <td className="time">{formatTime(item.scheduledAt, zone)}</td>
        <td>
          <a href={paths.patient(item.patient.id)} onClick={linkClick}>
            {item.patient.familyName}, {item.patient.givenName}
          </a>
          <div className="muted small">MRN {item.patient.mrn}</div>
          {item.status === 'scheduled' && <UrgentReview patientId={item.patient.id} />}
        </td>
        <td>
          <strong>{levelsText(item.levels)}</strong> · {label(item.side)}
          <div className="muted small">{item.approach}</div>
        </td>
        <td>
          <StatusBadge status={item.status} />
          {item.cancelReason && <div className="muted small">{item.cancelReason}</div>}
        </td>
        <td>
          <ActionButtons injection={item} open={open} onOpen={onOpen} />
        </td>
      </tr>
      {open && (
        <tr className="form-row">
          <td colSpan={5}>
            <ActionForm injection={item} who={who} zone={zone} mode={open} onDone={onDone} onClose={() => onOpen(null)} />
          </td>
        </tr>
      )}
    </Fragment>
  );
}
