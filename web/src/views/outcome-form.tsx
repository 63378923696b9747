// Pain before/after for a completed injection; the improvement is derived by the server when left blank.
import { useState } from 'react';
import type { Injection } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { ErrorNote } from '../components/status';
import { dateIn } from '../lib/time';
import { useSubmit } from '../lib/use-submit';

interface Props {
  injection: Injection;
  zone: string;
  onSaved: () => void;
  onClose: () => void;
}

export function OutcomeForm({ injection, zone, onSaved, onClose }: Props) {
  const { api } = useAuth();
  const o = injection.outcome;
  const [before, setBefore] = useState(o ? String(o.painBefore) : '');
  const [after, setAfter] = useState(o ? String(o.painAfter) : '');
  const [percent, setPercent] = useState(o ? String(o.percentImprovement) : '');
  const [assessedOn, setAssessedOn] = useState(() => o?.assessedOn ?? dateIn(zone));
  const [relief, setRelief] = useState(o?.reliefLastedDays != null ? String(o.reliefLastedDays) : '');
  const idp = `outcome-${injection.id}`;

  const { busy, error, submit } = useSubmit(async () => {
    await api.recordOutcome(injection.id, {
      painBefore: Number(before),
      painAfter: Number(after),
      ...(percent.trim() ? { percentImprovement: Number(percent) } : {}),
      ...(relief.trim() ? { reliefLastedDays: Number(relief) } : {}),
      assessedOn,
    });
    onSaved();
  });

  const num = (id: string, text: string, value: string, set: (v: string) => void, max: number, required = true) => (
    <div className="field narrow">
      <label htmlFor={`${idp}-${id}`}>{text}</label>
      <input
        id={`${idp}-${id}`}
        type="number"
        inputMode="numeric"
        min={0}
        max={max}
        step={1}
        required={required}
        value={value}
        onChange={(e) => set(e.target.value)}
      />
    </div>
  );

  return (
    <form className="action-form" onSubmit={(e) => void submit(e)} aria-label="Record outcome">
      <div className="row">
        {num('before', 'Pain before (0–10)', before, setBefore, 10)}
        {num('after', 'Pain after (0–10)', after, setAfter, 10)}
        {num('percent', 'Improvement % (optional)', percent, setPercent, 100, false)}
        {num('relief', 'Days relief of 50% or more lasted (optional)', relief, setRelief, 3650, false)}
        <div className="field">
          <label htmlFor={`${idp}-on`}>Assessed on</label>
          <input id={`${idp}-on`} type="date" required value={assessedOn} onChange={(e) => setAssessedOn(e.target.value)} />
        </div>
        <div className="buttons">
          <button type="submit" className="button primary" disabled={busy || before === '' || after === ''}>
            Save outcome
          </button>
          <button type="button" className="button secondary" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
      {error !== null && <ErrorNote error={error} />}
    </form>
  );
}
