// Clinical rules v2 on the episode: red flags (R4) block every booking until a clinician records a
// clearance, and a third or later injection (R5) needs a recorded consultation that sets how many the
// episode may hold. Both are said in words, with the form for whoever may record them.
import { useState } from 'react';
import type { Episode } from '../api/types';
import { useAuth, useCan } from '../auth/auth-context';
import { label } from '../components/badges';
import { ErrorNote, FieldError } from '../components/status';
import { useClinicZone } from '../lib/clinic-zone';
import { formatDateTime } from '../lib/time';
import { useSubmit } from '../lib/use-submit';

const words = (flags: string[]) => flags.map(label).join(' and ');

export function RedFlags({ episode, onDone }: { episode: Episode; onDone: (msg: string) => void }) {
  const can = useCan();
  const { zone } = useClinicZone();
  const [open, setOpen] = useState(false);
  if (episode.redFlags.length === 0 && episode.redFlagClearances.length === 0) return null;
  const uncleared = episode.redFlags.filter((f) => !episode.clearedRedFlags.includes(f));
  const last = episode.redFlagClearances.at(-1);
  return (
    <div className={`red-flags state ${episode.redFlagBlocked ? 'state-error' : 'state-info'}`}>
      {episode.redFlagBlocked ? (
        <p>
          <strong>Booking blocked: {words(uncleared)} recorded.</strong> This can mean cauda equina syndrome, which needs urgent surgical
          evaluation, not an elective injection. No injection can be booked or moved until a clinician records a clearance.
        </p>
      ) : episode.redFlags.length > 0 ? (
        <p>
          <strong>Red flags cleared:</strong> {words(episode.clearedRedFlags)}
          {last && (
            <>
              {' '}
              by {last.recordedBy.name} on {formatDateTime(last.recordedAt, zone)} (“{last.reason}”)
            </>
          )}
          . A red flag added later blocks booking again.
        </p>
      ) : null}
      {episode.redFlagBlocked && can('episode.clearRedFlag') && !open && (
        <button type="button" className="button secondary" onClick={() => setOpen(true)}>
          Record a clearance
        </button>
      )}
      {episode.redFlagBlocked && !can('episode.clearRedFlag') && <p>Ask a clinician to assess the patient.</p>}
      {open && (
        <ClearanceForm
          episode={episode}
          flags={uncleared}
          onClose={() => setOpen(false)}
          onDone={(m) => {
            setOpen(false);
            onDone(m);
          }}
        />
      )}
    </div>
  );
}

function ClearanceForm({
  episode,
  flags,
  onDone,
  onClose,
}: {
  episode: Episode;
  flags: string[];
  onDone: (m: string) => void;
  onClose: () => void;
}) {
  const { api } = useAuth();
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const { busy, error, submit } = useSubmit(async (idem) => {
    await api.clearRedFlags(episode.id, reason.trim(), idem({ reason: reason.trim() }));
    onDone(`Red flags cleared: ${words(flags)}. Booking is possible again.`);
  });
  const missing = tried && !reason.trim();
  return (
    <form
      className="form"
      aria-label="Red-flag clearance"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (reason.trim()) void submit(e);
      }}
    >
      <p>
        A clearance records your clinical judgement that an injection is appropriate despite {words(flags)}. Your name, the time and the
        reason are kept in the audit trail.
      </p>
      <div className="field wide">
        <label htmlFor="clearance-reason">Reason for clearing</label>
        <textarea
          id="clearance-reason"
          maxLength={1000}
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={missing || undefined}
          aria-describedby={missing ? 'clearance-reason-error' : undefined}
        />
        {missing && <FieldError id="clearance-reason-error">Give the reason for clearing.</FieldError>}
      </div>
      {error !== null && <ErrorNote error={error} />}
      <div className="buttons">
        <button type="submit" className="button danger" disabled={busy}>
          Clear red flags
        </button>
        <button type="button" className="button secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The R5 allowance: how many injections the episode may hold, how many it holds, and consultations. */
export function Consultations({
  episode,
  counted,
  onDone,
}: {
  episode: Episode;
  /** Undefined until the history has loaded. */
  counted: number | undefined;
  onDone: (msg: string) => void;
}) {
  const can = useCan();
  const { zone } = useClinicZone();
  const [open, setOpen] = useState(false);
  const full = counted !== undefined && counted >= episode.allowInjections;
  return (
    <div className="consultations">
      <h3>Injections in this episode</h3>
      <p data-testid="allowance">
        {counted === undefined
          ? `Up to ${episode.allowInjections} allowed.`
          : `${counted} of ${episode.allowInjections} allowed booked or given.`}{' '}
        {episode.consultations.length === 0
          ? 'A third or later injection needs a recorded consultation.'
          : `Allowed by consultation: up to ${episode.allowInjections}.`}
      </p>
      {full && (
        <p className="state state-warn">
          The episode holds all the injections it may: another one needs {episode.consultations.length ? 'a new' : 'a'} recorded
          consultation first.
        </p>
      )}
      {episode.consultations.length > 0 && (
        <ul className="consult-list">
          {episode.consultations.map((c) => (
            <li key={c.id}>
              {formatDateTime(c.recordedAt, zone)}, {c.recordedBy.name}: up to {c.allowInjections}. <span className="muted">{c.note}</span>
            </li>
          ))}
        </ul>
      )}
      {can('episode.consult') && !open && (
        <button type="button" className="button secondary" onClick={() => setOpen(true)}>
          Record a consultation
        </button>
      )}
      {open && (
        <ConsultationForm
          episode={episode}
          counted={counted ?? 0}
          onClose={() => setOpen(false)}
          onDone={(m) => {
            setOpen(false);
            onDone(m);
          }}
        />
      )}
    </div>
  );
}

function ConsultationForm({
  episode,
  counted,
  onDone,
  onClose,
}: {
  episode: Episode;
  counted: number;
  onDone: (m: string) => void;
  onClose: () => void;
}) {
  const { api } = useAuth();
  const [allow, setAllow] = useState(String(Math.min(12, Math.max(3, counted + 1))));
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const n = Number(allow);
  const allowProblem = !/^\d+$/.test(allow) || n < 3 || n > 12 ? 'Enter a whole number from 3 to 12.' : null;
  const noteProblem = note.trim() ? null : 'Write what was agreed.';
  const { busy, error, submit } = useSubmit(async (idem) => {
    const body = { allowInjections: n, note: note.trim() };
    await api.recordConsultation(episode.id, body, idem(body));
    onDone(`Consultation recorded: the episode may hold up to ${n} injections.`);
  });
  return (
    <form
      className="form"
      aria-label="Consultation"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (!allowProblem && !noteProblem) void submit(e);
      }}
    >
      <div className="grid">
        <div className="field">
          <label htmlFor="consult-allow">Injections the episode may hold in total</label>
          <input
            id="consult-allow"
            type="number"
            inputMode="numeric"
            min={3}
            max={12}
            step={1}
            value={allow}
            onChange={(e) => setAllow(e.target.value)}
            aria-invalid={(tried && allowProblem !== null) || undefined}
            aria-describedby={`consult-allow-help${tried && allowProblem ? ' consult-allow-error' : ''}`}
          />
          <span id="consult-allow-help" className="muted small">
            Counting those already booked or given ({counted}); 3 to 12.
          </span>
          {tried && allowProblem && <FieldError id="consult-allow-error">{allowProblem}</FieldError>}
        </div>
        <div className="field wide">
          <label htmlFor="consult-note">What was agreed</label>
          <textarea
            id="consult-note"
            maxLength={2000}
            rows={3}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            aria-invalid={(tried && noteProblem !== null) || undefined}
            aria-describedby={tried && noteProblem ? 'consult-note-error' : undefined}
          />
          {tried && noteProblem && <FieldError id="consult-note-error">{noteProblem}</FieldError>}
        </div>
      </div>
      {error !== null && <ErrorNote error={error} />}
      <div className="buttons">
        <button type="submit" className="button primary" disabled={busy}>
          Record consultation
        </button>
        <button type="button" className="button secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
