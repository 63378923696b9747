// The actions on one scheduled injection, offered by role: reschedule, cancel with a reason, no-show,
// complete. Each opens a small labelled form under the row; the server's answer decides.
import { useState, type ReactNode } from 'react';
import { ApiError } from '../api/problem';
import type { Injection } from '../api/types';
import { useAuth, useCan } from '../auth/auth-context';
import { dateIn, formatDate, formatDateTime, timeIn, zonedIso } from '../lib/time';
import { ErrorNote, FieldError } from './status';
import { EarliestOffer, Refusals } from './rules';
import { useSubmit } from '../lib/use-submit';

export type Mode = 'reschedule' | 'cancel' | 'noShow' | 'complete';

export function ActionButtons({ injection, open, onOpen }: { injection: Injection; open: Mode | null; onOpen: (m: Mode | null) => void }) {
  const can = useCan();
  if (injection.status !== 'scheduled') return null;
  const btn = (mode: Mode, text: string, allowed: boolean) =>
    allowed && (
      <button
        type="button"
        className={`button small${open === mode ? ' pressed' : ''}`}
        aria-expanded={open === mode}
        onClick={() => onOpen(open === mode ? null : mode)}
      >
        {text}
      </button>
    );
  return (
    <div className="actions">
      {btn('complete', 'Complete', can('injection.complete'))}
      {btn('reschedule', 'Reschedule', can('injection.reschedule'))}
      {btn('cancel', 'Cancel', can('injection.cancel'))}
      {btn('noShow', 'No-show', can('injection.noShow'))}
    </div>
  );
}

interface FormProps {
  injection: Injection;
  who: string;
  zone: string;
  mode: Mode;
  onDone: (message: string) => void;
  onClose: () => void;
}

export function ActionForm({ injection, who, zone, mode, onDone, onClose }: FormProps) {
  const { api } = useAuth();
  // Completing asks when it was performed: by default the booked time once it has passed, else now
  // (the API refuses a performedAt in the future).
  const [initial] = useState(() => {
    const booked = new Date(injection.scheduledAt);
    const at = mode === 'complete' ? new Date(Math.min(booked.getTime(), Date.now())) : booked;
    return { date: dateIn(zone, at), time: timeIn(zone, at), now: Date.now() };
  });
  const [date, setDate] = useState(initial.date);
  const [time, setTime] = useState(initial.time);
  const [reason, setReason] = useState('');
  const idp = `${mode}-${injection.id}`;
  const inFuture =
    mode === 'complete' &&
    /^\d{4}-\d{2}-\d{2}$/.test(date) &&
    /^\d{2}:\d{2}$/.test(time) &&
    new Date(zonedIso(date, time, zone)).getTime() > initial.now + 60_000;
  const movedDay = mode === 'complete' && date !== injection.localDate;

  const { busy, error, submit } = useSubmit(async (idem) => {
    if (mode === 'reschedule') {
      const at = zonedIso(date, time, zone);
      await api.reschedule(injection.id, at, idem({ at }));
      onDone(`Rescheduled ${who} to ${formatDateTime(at, zone)}.`);
    } else if (mode === 'cancel') {
      await api.cancel(injection.id, reason, idem({ reason }));
      onDone(`Cancelled ${who}'s injection.`);
    } else if (mode === 'noShow') {
      await api.noShow(injection.id, idem({}));
      onDone(`Recorded that ${who} did not attend.`);
    } else {
      const at = zonedIso(date, time, zone);
      await api.complete(injection.id, at, idem({ at }));
      onDone(`Recorded ${who}'s injection as performed on ${formatDateTime(at, zone)}.`);
    }
  });

  const violations = error instanceof ApiError ? error.violations : [];
  let fields: ReactNode;
  let submitText: string;
  switch (mode) {
    case 'reschedule':
    case 'complete':
      submitText = mode === 'reschedule' ? 'Reschedule' : 'Record as performed';
      fields = (
        <>
          {mode === 'complete' && (
            <p className="wide muted" id={`${idp}-help`}>
              Booked for {formatDateTime(injection.scheduledAt, zone)}. Enter when it was actually performed: that date is the one the
              scheduling rules judge, so a different day is checked against the rules again, and a refusal leaves it booked.
            </p>
          )}
          <div className="field">
            <label htmlFor={`${idp}-date`}>{mode === 'reschedule' ? 'New date' : 'Performed on'}</label>
            <input
              id={`${idp}-date`}
              type="date"
              required
              value={date}
              onChange={(e) => setDate(e.target.value)}
              aria-invalid={inFuture || undefined}
              aria-describedby={mode === 'complete' ? `${idp}-help${inFuture ? ` ${idp}-future` : ''}` : undefined}
            />
          </div>
          <div className="field">
            <label htmlFor={`${idp}-time`}>{mode === 'complete' ? 'At (clinic time)' : 'Time (clinic)'}</label>
            <input id={`${idp}-time`} type="time" required value={time} onChange={(e) => setTime(e.target.value)} />
          </div>
          {inFuture && (
            <FieldError id={`${idp}-future`}>That time is still ahead: an injection can be recorded only once performed.</FieldError>
          )}
          {movedDay && !inFuture && (
            <p className="wide state state-warn">
              Performed on {formatDate(date)}, not on the booked {formatDate(injection.localDate)}: the rules are checked for that day.
            </p>
          )}
        </>
      );
      break;
    case 'cancel':
      submitText = 'Cancel injection';
      fields = (
        <div className="field grow">
          <label htmlFor={`${idp}-reason`}>Reason for cancelling</label>
          <input id={`${idp}-reason`} required maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
      );
      break;
    case 'noShow':
      submitText = 'Record no-show';
      fields = <p className="grow">Record that {who} did not attend this injection?</p>;
      break;
  }

  return (
    <form className="action-form" onSubmit={(e) => void submit(e)} aria-label={submitText}>
      <div className="row">
        {fields}
        <div className="buttons">
          <button
            type="submit"
            className={`button ${mode === 'cancel' ? 'danger' : 'primary'}`}
            disabled={busy || (mode === 'cancel' && !reason.trim()) || inFuture}
          >
            {submitText}
          </button>
          <button type="button" className="button secondary" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
      {error !== null && (
        <>
          {violations.length > 0 ? (
            <p className="state state-error" role="alert">
              {mode === 'complete'
                ? `Not recorded: on ${formatDate(date)} this injection would break a scheduling rule, so it stays booked.`
                : `Not moved: ${formatDate(date)} breaks a scheduling rule.`}
            </p>
          ) : (
            <ErrorNote error={error} />
          )}
          {violations.length > 0 && (
            <>
              <Refusals items={violations} />
              {mode === 'reschedule' && (
                <EarliestOffer
                  date={violations.find((v) => v.earliestEligibleDate)?.earliestEligibleDate}
                  onPick={(d) => setDate(d)}
                  chosen={date}
                  today={dateIn(zone)}
                />
              )}
            </>
          )}
        </>
      )}
    </form>
  );
}
