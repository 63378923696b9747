// The actions on one scheduled injection, offered by role: reschedule, cancel with a reason, no-show,
// complete. Each opens a small labelled form under the row; the server's answer decides.
import { useState, type ReactNode } from 'react';
import { ApiError } from '../api/problem';
import type { Injection } from '../api/types';
import { useAuth, useCan } from '../auth/auth-context';
import { dateIn, timeIn, zonedIso } from '../lib/time';
import { ErrorNote } from './status';
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
  // Completing defaults to the booked time, or to now when the booked time is still ahead (the API
  // refuses a performedAt in the future).
  const [initial] = useState(() => {
    const booked = new Date(injection.scheduledAt);
    const at = mode === 'complete' ? new Date(Math.min(booked.getTime(), Date.now())) : booked;
    return { date: dateIn(zone, at), time: timeIn(zone, at) };
  });
  const [date, setDate] = useState(initial.date);
  const [time, setTime] = useState(initial.time);
  const [reason, setReason] = useState('');
  const idp = `${mode}-${injection.id}`;

  const { busy, error, submit } = useSubmit(async () => {
    if (mode === 'reschedule') {
      await api.reschedule(injection.id, zonedIso(date, time, zone));
      onDone(`Rescheduled ${who} to ${date} ${time}.`);
    } else if (mode === 'cancel') {
      await api.cancel(injection.id, reason);
      onDone(`Cancelled ${who}'s injection.`);
    } else if (mode === 'noShow') {
      await api.noShow(injection.id);
      onDone(`Recorded that ${who} did not attend.`);
    } else {
      await api.complete(injection.id, zonedIso(date, time, zone));
      onDone(`Recorded ${who}'s injection as performed.`);
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
          <div className="field">
            <label htmlFor={`${idp}-date`}>{mode === 'reschedule' ? 'New date' : 'Performed on'}</label>
            <input id={`${idp}-date`} type="date" required value={date} onChange={(e) => setDate(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${idp}-time`}>Time (clinic)</label>
            <input id={`${idp}-time`} type="time" required value={time} onChange={(e) => setTime(e.target.value)} />
          </div>
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
            disabled={busy || (mode === 'cancel' && !reason.trim())}
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
          <ErrorNote error={error} />
          {violations.length > 0 && (
            <>
              <Refusals items={violations} />
              <EarliestOffer date={violations.find((v) => v.earliestEligibleDate)?.earliestEligibleDate} onPick={(d) => setDate(d)} />
            </>
          )}
        </>
      )}
    </form>
  );
}
