// The open conservative-care episode. Clinicians open, edit (severity and neurological signs decide
// whether the six-week trial applies) and close episodes; other roles read them.
import { useState } from 'react';
import type { Episode } from '../api/types';
import { useCan } from '../auth/auth-context';
import { label } from '../components/badges';
import { formatDate } from '../lib/time';
import { CloseEpisodeForm, EpisodeForm } from './episode-form';
import { Consultations, RedFlags } from './episode-clinical';

type Mode = 'edit' | 'close' | 'open' | null;

export function EpisodePanel({
  patientId,
  episode,
  counted,
  onChanged,
}: {
  patientId: string;
  episode: Episode | null;
  /** Scheduled and completed injections of the episode (R5 counts them). */
  counted?: number | undefined;
  onChanged: (msg: string) => void;
}) {
  const can = useCan();
  const [mode, setMode] = useState<Mode>(null);
  const done = (msg: string) => {
    setMode(null);
    onChanged(msg);
  };

  if (!episode) {
    return (
      <div className="card">
        <h2>Episode</h2>
        <p className="muted">No open episode. An injection can be booked only within an open episode.</p>
        {can('episode.open') && mode !== 'open' && (
          <button type="button" className="button primary" onClick={() => setMode('open')}>
            Open episode
          </button>
        )}
        {mode === 'open' && <EpisodeForm patientId={patientId} onDone={done} onClose={() => setMode(null)} />}
      </div>
    );
  }

  return (
    <div className="card">
      <h2>Open episode: {episode.region}</h2>
      <RedFlags episode={episode} onDone={done} />
      <dl className="facts">
        <dt>Diagnosis</dt>
        <dd>{episode.diagnosis}</dd>
        <dt>Severity</dt>
        <dd>
          <span className={`badge severity-${episode.severity}`}>{episode.severity}</span>
        </dd>
        <dt>Neurological signs</dt>
        <dd>{episode.neurologicalSigns.length ? episode.neurologicalSigns.map(label).join(', ') : <span className="muted">none</span>}</dd>
        <dt>Conservative care</dt>
        <dd>
          since {formatDate(episode.conservativeCareStartedOn)}
          {episode.therapies.length > 0 && <div className="muted small">{episode.therapies.map(label).join(', ')}</div>}
        </dd>
        <dt>Six-week trial</dt>
        <dd>
          {episode.r1Exempt
            ? 'Not required (severe, or neurological signs recorded)'
            : episode.conservativeTrialEndsOn
              ? `Injections allowed from ${formatDate(episode.conservativeTrialEndsOn)}`
              : '—'}
        </dd>
      </dl>
      <Consultations episode={episode} counted={counted} onDone={done} />
      {mode === null && (can('episode.edit') || can('episode.close')) && (
        <div className="buttons">
          {can('episode.edit') && (
            <button type="button" className="button secondary" onClick={() => setMode('edit')}>
              Edit episode
            </button>
          )}
          {can('episode.close') && (
            <button type="button" className="button secondary" onClick={() => setMode('close')}>
              Close episode
            </button>
          )}
        </div>
      )}
      {mode === 'edit' && <EpisodeForm patientId={patientId} episode={episode} onDone={done} onClose={() => setMode(null)} />}
      {mode === 'close' && <CloseEpisodeForm episode={episode} onDone={done} onClose={() => setMode(null)} />}
    </div>
  );
}
