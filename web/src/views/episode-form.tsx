import { useState } from 'react';
import type { Episode, Region, Severity, Sign, Therapy } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { label } from '../components/badges';
import { ErrorNote, FieldError } from '../components/status';
import { useClinicZone } from '../lib/clinic-zone';
import { addDays, dateIn, formatDate, isIsoDate } from '../lib/time';
import { useSubmit } from '../lib/use-submit';

const REGIONS: Region[] = ['lumbar', 'cervical', 'thoracic'];
const SEVERITIES: Severity[] = ['mild', 'moderate', 'severe'];
const SIGNS: Sign[] = ['numbness', 'tingling', 'weakness', 'reflex_loss', 'bowel_bladder', 'saddle_anesthesia'];
const THERAPIES: Therapy[] = ['medication', 'physical_therapy', 'activity_modification', 'exercise_education'];

function Checks<T extends string>({
  legend,
  name,
  all,
  value,
  onChange,
}: {
  legend: string;
  name: string;
  all: T[];
  value: T[];
  onChange: (v: T[]) => void;
}) {
  return (
    <fieldset className="checks">
      <legend>{legend}</legend>
      {all.map((v) => (
        <label key={v}>
          <input
            type="checkbox"
            name={name}
            checked={value.includes(v)}
            onChange={(e) => onChange(e.target.checked ? [...value, v] : value.filter((x) => x !== v))}
          />
          {label(v)}
        </label>
      ))}
    </fieldset>
  );
}

interface Props {
  patientId: string;
  episode?: Episode;
  onDone: (msg: string) => void;
  onClose: () => void;
}

/** Opens an episode, or edits the open one (region and start date are fixed once opened). */
export function EpisodeForm({ patientId, episode, onDone, onClose }: Props) {
  const { api } = useAuth();
  const { zone } = useClinicZone();
  const [region, setRegion] = useState<Region>(episode?.region ?? 'lumbar');
  const [diagnosis, setDiagnosis] = useState(episode?.diagnosis ?? '');
  // No default: "today" would silently hold every booking for six weeks.
  const [startedOn, setStartedOn] = useState(() => episode?.conservativeCareStartedOn ?? '');
  const today = dateIn(zone);
  const startProblem = episode
    ? null
    : !startedOn
      ? 'Enter when conservative care started.'
      : !isIsoDate(startedOn) || startedOn < '1900-01-01'
        ? 'Enter a whole date (day, month and year).'
        : startedOn > today
          ? 'Conservative care cannot start in the future.'
          : null;
  const [tried, setTried] = useState(false);
  const [severity, setSeverity] = useState<Severity>(episode?.severity ?? 'moderate');
  const [signs, setSigns] = useState<Sign[]>(episode?.neurologicalSigns ?? []);
  const [therapies, setTherapies] = useState<Therapy[]>(episode?.therapies ?? []);

  const { busy, error, submit } = useSubmit(async (idem) => {
    if (episode) {
      const updated = await api.updateEpisode(episode.id, { diagnosis: diagnosis.trim(), severity, neurologicalSigns: signs, therapies });
      // The edit stands, but booked injections the episode no longer allows are named (nothing is cancelled).
      const warned = updated.warnings.map((w) => `${formatDate(w.localDate)}: ${w.message}`);
      onDone(
        warned.length
          ? `Episode updated. ${warned.length === 1 ? 'One booked injection no longer passes' : `${warned.length} booked injections no longer pass`} the rules; move or cancel ${warned.length === 1 ? 'it' : 'them'}: ${warned.join(' ')}`
          : 'Episode updated.',
      );
    } else {
      const body = {
        region,
        diagnosis: diagnosis.trim(),
        conservativeCareStartedOn: startedOn,
        severity,
        neurologicalSigns: signs,
        therapies,
      };
      await api.openEpisode(patientId, body, idem(body));
      onDone('Episode opened.');
    }
  });
  const trialEnds = !episode && startProblem === null ? addDays(startedOn, 42) : null;

  return (
    <form
      className="form episode-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (startProblem !== null) {
          document.getElementById('ep-start')?.focus();
          return;
        }
        void submit(e);
      }}
      aria-label={episode ? 'Edit episode' : 'Open episode'}
    >
      <div className="grid">
        {!episode && (
          <div className="field">
            <label htmlFor="ep-region">Region</label>
            <select id="ep-region" value={region} onChange={(e) => setRegion(e.target.value as Region)}>
              {REGIONS.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor="ep-severity">Severity</label>
          <select id="ep-severity" value={severity} onChange={(e) => setSeverity(e.target.value as Severity)}>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        {!episode && (
          <div className="field">
            <label htmlFor="ep-start">Conservative care started on</label>
            <input
              id="ep-start"
              type="date"
              required
              max={today}
              value={startedOn}
              onChange={(e) => setStartedOn(e.target.value)}
              aria-invalid={(tried && startProblem !== null) || undefined}
              aria-describedby={`ep-start-help${tried && startProblem !== null ? ' ep-start-error' : ''}`}
            />
            <span id="ep-start-help" className="muted small">
              The first day of medication, physical therapy or other conservative care for this complaint. Unless the episode is severe or
              records a neurological sign, injections may start six weeks after it
              {trialEnds ? `: from ${formatDate(trialEnds)}` : ''}.
            </span>
            {tried && startProblem !== null && <FieldError id="ep-start-error">{startProblem}</FieldError>}
          </div>
        )}
        <div className="field wide">
          <label htmlFor="ep-diagnosis">Diagnosis</label>
          <input id="ep-diagnosis" required maxLength={500} value={diagnosis} onChange={(e) => setDiagnosis(e.target.value)} />
        </div>
      </div>
      <Checks legend="Neurological signs" name="signs" all={SIGNS} value={signs} onChange={setSigns} />
      <p className="muted small">
        Bowel or bladder dysfunction and saddle anaesthesia are red flags (possible cauda equina syndrome): recording one blocks booking
        until a clinician records a clearance.
      </p>
      <Checks legend="Conservative therapies tried" name="therapies" all={THERAPIES} value={therapies} onChange={setTherapies} />
      {error !== null && <ErrorNote error={error} />}
      <div className="buttons">
        <button type="submit" className="button primary" disabled={busy || !diagnosis.trim()}>
          {episode ? 'Save episode' : 'Open episode'}
        </button>
        <button type="button" className="button secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function CloseEpisodeForm({ episode, onDone, onClose }: { episode: Episode; onDone: (msg: string) => void; onClose: () => void }) {
  const { api } = useAuth();
  const [reason, setReason] = useState('');

  const { busy, error, submit } = useSubmit(async (idem) => {
    const closed = await api.closeEpisode(episode.id, reason.trim(), idem({ reason: reason.trim() }));
    const n = closed.cancelledInjectionIds.length;
    onDone(n ? `Episode closed; ${n} future injection${n === 1 ? '' : 's'} cancelled.` : 'Episode closed.');
  });

  return (
    <form className="form" onSubmit={(e) => void submit(e)} aria-label="Close episode">
      <p>Closing the episode cancels its future scheduled injections.</p>
      <div className="field">
        <label htmlFor="ep-close-reason">Reason for closing</label>
        <input id="ep-close-reason" required maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      {error !== null && <ErrorNote error={error} />}
      <div className="buttons">
        <button type="submit" className="button danger" disabled={busy || !reason.trim()}>
          Close episode
        </button>
        <button type="button" className="button secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
