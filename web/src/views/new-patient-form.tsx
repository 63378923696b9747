import { useState } from 'react';
import type { CreatePatient, Patient } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { ErrorNote } from '../components/status';
import { useSubmit } from '../lib/use-submit';

const EMPTY = { mrn: '', givenName: '', familyName: '', birthDate: '', phone: '', email: '' };

export function NewPatientForm({ onCreated, onCancel }: { onCreated: (p: Patient) => void; onCancel: () => void }) {
  const { api } = useAuth();
  const [v, setV] = useState(EMPTY);
  const set = (k: keyof typeof EMPTY) => (e: { target: { value: string } }) => setV({ ...v, [k]: e.target.value });

  const { busy, error, submit } = useSubmit(async () => {
    const body: CreatePatient = {
      mrn: v.mrn.trim(),
      givenName: v.givenName.trim(),
      familyName: v.familyName.trim(),
      birthDate: v.birthDate,
      phone: v.phone.trim() || null,
      email: v.email.trim() || null,
    };
    onCreated(await api.createPatient(body));
  });

  const field = (k: keyof typeof EMPTY, text: string, extra: Record<string, unknown> = {}) => (
    <div className="field">
      <label htmlFor={`np-${k}`}>{text}</label>
      <input id={`np-${k}`} value={v[k]} onChange={set(k)} {...extra} />
    </div>
  );

  return (
    <form className="card form" onSubmit={(e) => void submit(e)} aria-labelledby="np-title">
      <h2 id="np-title">New patient</h2>
      <div className="grid">
        {field('mrn', 'MRN', { required: true, maxLength: 32, pattern: '[A-Za-z0-9\\-]{1,32}', autoComplete: 'off' })}
        {field('givenName', 'Given name', { required: true, maxLength: 100, autoComplete: 'off' })}
        {field('familyName', 'Family name', { required: true, maxLength: 100, autoComplete: 'off' })}
        {field('birthDate', 'Birth date', { required: true, type: 'date' })}
        {field('phone', 'Phone (optional)', { type: 'tel', autoComplete: 'off' })}
        {field('email', 'Email (optional)', { type: 'email', autoComplete: 'off' })}
      </div>
      {error !== null && <ErrorNote error={error} />}
      <div className="buttons">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Saving…' : 'Register patient'}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
