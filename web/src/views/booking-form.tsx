// The booking form. Eligibility for the chosen date is asked live (GET …/eligibility?on=); a refusal
// is shown in plain words with the earliest eligible date as one click. The server decides at submit.
import { useState } from 'react';
import { ApiError } from '../api/problem';
import type { Approach, Episode, HistoryItem, Injection, PatientDetail, Side } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { CoverageNote, EarliestOffer, Refusals } from '../components/rules';
import { ErrorNote } from '../components/status';
import { linkClick, paths } from '../lib/router';
import { dateIn, formatDate, formatDateTime, isIsoDate, zonedIso } from '../lib/time';
import { useLoad } from '../lib/use-load';
import { useSubmit } from '../lib/use-submit';

const SIDES: Side[] = ['left', 'right', 'bilateral', 'midline'];
const APPROACHES: Approach[] = ['transforaminal', 'interlaminar', 'caudal'];
const LEVELS = ['L3-L4', 'L4-L5', 'L5-S1', 'S1', 'C5-C6', 'C6-C7', 'C7-T1', 'T11-T12', 'sacral-hiatus'];

interface Props {
  patient: PatientDetail;
  episode: Episode;
  zone: string;
  last: HistoryItem | undefined;
}

export function BookingForm({ patient, episode, zone, last }: Props) {
  const { api } = useAuth();
  const [date, setDate] = useState(() => dateIn(zone));
  const [time, setTime] = useState('09:00');
  const [level, setLevel] = useState(last?.level ?? (episode.region === 'cervical' ? 'C6-C7' : 'L4-L5'));
  const [approach, setApproach] = useState<Approach>(last?.approach ?? 'transforaminal');
  const [side, setSide] = useState<Side>(last?.side ?? 'left');
  const [booked, setBooked] = useState<Injection | null>(null);
  const validDate = isIsoDate(date);
  const elig = useLoad(validDate ? `elig:${patient.id}:${date}` : null, (signal) => api.eligibility(patient.id, date, signal));
  const refused = elig.data && !elig.loading && !elig.data.eligible;

  const { busy, error, submit, clearError } = useSubmit(
    async () => {
      setBooked(
        await api.book({
          patientId: patient.id,
          episodeId: episode.id,
          scheduledAt: zonedIso(date, time, zone),
          level: level.trim(),
          approach,
          side,
        }),
      );
    },
    { idleAfterSuccess: true },
  );

  const pick = (d: string) => {
    setDate(d);
    clearError();
  };

  if (booked) {
    return (
      <div className="card booked" role="status">
        <h2>Booked</h2>
        <p>
          {patient.givenName} {patient.familyName}: {booked.level} {booked.side} ({booked.approach}) on{' '}
          <strong>{formatDateTime(booked.scheduledAt, zone)}</strong>.
        </p>
        <div className="buttons">
          <a className="button primary" href={paths.today(booked.localDate)} onClick={linkClick}>
            See it on the schedule
          </a>
          <a className="button secondary" href={paths.patient(patient.id)} onClick={linkClick}>
            Back to the patient
          </a>
        </div>
      </div>
    );
  }

  const violations = error instanceof ApiError ? error.violations : [];
  return (
    <form className="card form booking" onSubmit={(e) => void submit(e)} aria-label="Booking">
      <div className="grid">
        <div className="field">
          <label htmlFor="book-date">Date</label>
          <input id="book-date" type="date" required value={date} onChange={(e) => pick(e.target.value)} aria-describedby="eligibility" />
        </div>
        <div className="field">
          <label htmlFor="book-time">Time (clinic time)</label>
          <input id="book-time" type="time" required value={time} onChange={(e) => setTime(e.target.value)} aria-describedby="book-zone" />
          <span id="book-zone" className="muted small">
            {zone}
          </span>
        </div>
        <div className="field">
          <label htmlFor="book-level">Level</label>
          <input id="book-level" required list="levels" value={level} onChange={(e) => setLevel(e.target.value)} autoComplete="off" />
          <datalist id="levels">
            {LEVELS.map((l) => (
              <option key={l} value={l} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor="book-approach">Approach</label>
          <select id="book-approach" value={approach} onChange={(e) => setApproach(e.target.value as Approach)}>
            {APPROACHES.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="book-side">Side</label>
          <select id="book-side" value={side} onChange={(e) => setSide(e.target.value as Side)}>
            {SIDES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      </div>

      <div id="eligibility" className="eligibility" aria-live="polite">
        {!validDate ? (
          <p className="muted">Choose a date to check eligibility.</p>
        ) : elig.error !== undefined ? (
          <ErrorNote error={elig.error} onRetry={elig.reload} />
        ) : !elig.data || elig.loading ? (
          <p className="muted">Checking eligibility for {formatDate(date)}…</p>
        ) : elig.data.eligible ? (
          <p className="state state-ok">Eligible on {formatDate(date)}.</p>
        ) : (
          <div className="state state-refused">
            <p>
              <strong>Not eligible on {formatDate(date)}.</strong>
            </p>
            <Refusals items={elig.data.blockers} />
            <EarliestOffer date={elig.data.earliestEligibleDate} onPick={pick} />
          </div>
        )}
        {validDate && elig.data && !elig.loading && elig.error === undefined && (
          <CoverageNote coverage={elig.data.coverage} earliest={elig.data.earliestCoveredDate} onPick={pick} />
        )}
      </div>

      {error !== null && (
        <div className="submit-error">
          <ErrorNote error={error} />
          {violations.length > 0 && (
            <>
              <Refusals items={violations} />
              <EarliestOffer date={violations.find((v) => v.earliestEligibleDate)?.earliestEligibleDate} onPick={pick} />
            </>
          )}
        </div>
      )}
      <div className="buttons">
        <button type="submit" className="button primary" disabled={busy || !validDate || refused || !level.trim()}>
          {busy ? 'Booking…' : 'Book injection'}
        </button>
        <a className="button secondary" href={paths.patient(patient.id)} onClick={linkClick}>
          Cancel
        </a>
      </div>
    </form>
  );
}
