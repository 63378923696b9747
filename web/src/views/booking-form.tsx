// The booking form. Eligibility for the chosen date is asked live (GET …/eligibility?on=); a refusal
// is shown in plain words with the earliest eligible date as one click. The server decides at submit.
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/problem';
import type { Approach, Episode, HistoryItem, Injection, PatientDetail, Side } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { UrgentReviewNote } from '../components/badges';
import { EarliestOffer, Refusals } from '../components/rules';
import { ErrorNote, FieldError } from '../components/status';
import { announce } from '../lib/a11y';
import { keys, useAfterChange } from '../lib/query';
import { linkClick, paths } from '../lib/router';
import { addDays, dateIn, formatDate, formatDateTime, isIsoDate, zonedIso } from '../lib/time';
import { useLoad } from '../lib/use-load';
import { useSubmit } from '../lib/use-submit';

/** How long typing must pause before a date is checked with the server. */
export const DATE_DEBOUNCE_MS = 400;

/** A date the form will check: a real calendar date, at most ten years back and two years ahead. */
export function dateProblem(date: string, today: string): string | null {
  if (!date) return 'Choose a date.';
  if (!isIsoDate(date)) return 'Enter a whole date (day, month and year).';
  if (date < addDays(today, -3653)) return 'That date is more than ten years ago: check the year.';
  if (date > addDays(today, 731)) return 'That date is more than two years ahead: check the year.';
  return null;
}

/** The value after it has stopped changing for `ms`. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

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
  const afterChange = useAfterChange();
  const today = dateIn(zone);
  const [date, setDate] = useState(today);
  const [pastConfirmed, setPastConfirmed] = useState(false);
  const [time, setTime] = useState('09:00');
  const [level, setLevel] = useState(last?.level ?? (episode.region === 'cervical' ? 'C6-C7' : 'L4-L5'));
  const [approach, setApproach] = useState<Approach>(last?.approach ?? 'transforaminal');
  const [side, setSide] = useState<Side>(last?.side ?? 'left');
  const [booked, setBooked] = useState<Injection | null>(null);
  // Typing a year goes through 0002, 0020, 0202: only a date that stopped changing, and passes the
  // local check, is sent to the server.
  const settled = useSettled(date, DATE_DEBOUNCE_MS);
  const problem = dateProblem(date, today);
  const checkable = settled === date && problem === null;
  const elig = useLoad(checkable ? keys.eligibility(patient.id, date) : null, (signal) => api.eligibility(patient.id, date, signal));
  const refused = elig.data && !elig.loading && !elig.data.eligible;
  const past = problem === null && date < today;

  const { busy, error, submit, clearError } = useSubmit(
    async (idem) => {
      const body = {
        patientId: patient.id,
        episodeId: episode.id,
        scheduledAt: zonedIso(date, time, zone),
        level: level.trim(),
        approach,
        side,
      };
      const done = await api.book(body, idem(body));
      await afterChange(patient.id);
      setBooked(done);
      announce(`Booked ${patient.givenName} ${patient.familyName} on ${formatDateTime(done.scheduledAt, zone)}.`);
    },
    { idleAfterSuccess: true },
  );

  const pick = (d: string) => {
    setDate(d);
    setPastConfirmed(false);
    clearError();
  };

  if (booked) return <BookedCard patient={patient} booked={booked} zone={zone} />;

  const violations = error instanceof ApiError ? error.violations : [];
  const blocked =
    busy ||
    problem !== null ||
    !checkable ||
    elig.loading ||
    refused ||
    !level.trim() ||
    (past && !pastConfirmed) ||
    elig.error !== undefined;
  return (
    <form className="card form booking" onSubmit={(e) => void submit(e)} aria-label="Booking">
      <UrgentReviewNote flags={patient.flags} />
      <div className="grid">
        <div className="field">
          <label htmlFor="book-date">Date</label>
          <input
            id="book-date"
            type="date"
            required
            value={date}
            onChange={(e) => pick(e.target.value)}
            aria-invalid={problem !== null || undefined}
            aria-describedby={problem !== null ? 'book-date-error eligibility' : 'eligibility'}
          />
          {problem !== null && <FieldError id="book-date-error">{problem}</FieldError>}
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
        {problem !== null ? (
          <p className="muted">Choose a date to check eligibility.</p>
        ) : elig.error !== undefined ? (
          <ErrorNote error={elig.error} onRetry={elig.reload} />
        ) : !checkable || !elig.data || elig.loading ? (
          <p className="muted">Checking eligibility for {formatDate(date)}…</p>
        ) : elig.data.eligible ? (
          <p className="state state-ok">Eligible on {formatDate(date)}.</p>
        ) : (
          <div className="state state-refused">
            <p>
              <strong>Not eligible on {formatDate(date)}.</strong>
            </p>
            <Refusals items={elig.data.blockers} />
            <EarliestOffer date={elig.data.earliestEligibleDate} onPick={pick} chosen={date} today={today} />
          </div>
        )}
      </div>

      {past && (
        <div className="state state-warn past-date">
          <p>
            <strong>{formatDate(date)} is in the past.</strong> Book a past date only to record an injection already given before this
            system was used; the same rules apply.
          </p>
          <label className="check">
            <input type="checkbox" checked={pastConfirmed} onChange={(e) => setPastConfirmed(e.target.checked)} /> Yes, record an injection
            on this past date
          </label>
        </div>
      )}

      {error !== null && (
        <div className="submit-error">
          <ErrorNote error={error} />
          {violations.length > 0 && (
            <>
              <Refusals items={violations} />
              <EarliestOffer
                date={violations.find((v) => v.earliestEligibleDate)?.earliestEligibleDate}
                onPick={pick}
                chosen={date}
                today={today}
              />
            </>
          )}
        </div>
      )}
      <div className="buttons">
        <button type="submit" className="button primary" disabled={blocked}>
          {busy ? 'Booking…' : 'Book injection'}
        </button>
        <a className="button secondary" href={paths.patient(patient.id)} onClick={linkClick}>
          Cancel
        </a>
      </div>
    </form>
  );
}

function BookedCard({ patient, booked, zone }: { patient: PatientDetail; booked: Injection; zone: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="card booked">
      <h2 ref={heading} tabIndex={-1}>
        Booked
      </h2>
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
