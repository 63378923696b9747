// The booking form. Eligibility for the chosen date is asked live (GET …/eligibility?on=); a refusal
// is shown in plain words with the earliest eligible date as one click. The server decides at submit.
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/problem';
import type { Approach, Episode, HistoryItem, Injection, PatientDetail, Side } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { UrgentReviewNote, levelsText } from '../components/badges';
import { EarliestOffer, Refusals } from '../components/rules';
import { ErrorNote, FieldError } from '../components/status';
import { announce } from '../lib/a11y';
import { LEVELS, LEVEL_HINT, SIDES_FOR, approachesFor, levelsProblem, ordered } from '../lib/anatomy';
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
  const region = episode.region;
  const approaches = approachesFor(region);
  // The last session's anatomy is the usual next one, when it fits this episode's region.
  const [approach, setApproach] = useState<Approach>(last && approaches.includes(last.approach) ? last.approach : 'transforaminal');
  const [levels, setLevels] = useState<string[]>(() => {
    const prior = (last?.levels ?? []).filter((l) => LEVELS[region].includes(l));
    return prior.length ? prior : [region === 'cervical' ? 'C6-C7' : region === 'thoracic' ? 'T11-T12' : 'L4-L5'];
  });
  const [side, setSide] = useState<Side>(last && SIDES_FOR[approach].includes(last.side) ? last.side : (SIDES_FOR[approach][0] ?? 'left'));
  const anatomyProblem = levelsProblem(region, approach, levels);
  const chooseApproach = (a: Approach) => {
    setApproach(a);
    if (!SIDES_FOR[a].includes(side)) setSide(SIDES_FOR[a][0] ?? 'midline');
    if (a === 'caudal') setLevels([]);
    else if (a === 'interlaminar' && levels.length > 1) setLevels(levels.slice(0, 1));
  };
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
        levels: ordered(region, levels),
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
    anatomyProblem !== null ||
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
          <label htmlFor="book-approach">Approach</label>
          <select id="book-approach" value={approach} onChange={(e) => chooseApproach(e.target.value as Approach)}>
            {approaches.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="book-side">Side</label>
          <select id="book-side" value={side} onChange={(e) => setSide(e.target.value as Side)}>
            {SIDES_FOR[approach].map((sd) => (
              <option key={sd} value={sd}>
                {sd}
              </option>
            ))}
          </select>
        </div>
      </div>
      <fieldset className="checks levels" aria-describedby={`levels-hint${anatomyProblem ? ' levels-error' : ''}`}>
        <legend>Levels ({region})</legend>
        <p id="levels-hint" className="muted small">
          {LEVEL_HINT[approach]}
        </p>
        {approach !== 'caudal' &&
          LEVELS[region].map((l) => (
            <label key={l}>
              <input
                type="checkbox"
                name="levels"
                checked={levels.includes(l)}
                onChange={(e) => setLevels(e.target.checked ? [...levels, l] : levels.filter((x) => x !== l))}
              />
              {l}
            </label>
          ))}
        {anatomyProblem && <FieldError id="levels-error">{anatomyProblem}</FieldError>}
      </fieldset>

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
        {patient.givenName} {patient.familyName}: {levelsText(booked.levels)} {booked.side} ({booked.approach}) on{' '}
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
