// Registers a patient. Problems are shown beside each field in words (not the browser's own pop-ups,
// which screen readers and some browsers handle poorly), and the first one takes the focus.
import { useState } from 'react';
import type { CreatePatient, Patient } from '../api/types';
import { ApiError } from '../api/problem';
import { useAuth } from '../auth/auth-context';
import { ErrorNote, FieldError } from '../components/status';
import { useClinicZone } from '../lib/clinic-zone';
import { dateIn, isIsoDate } from '../lib/time';
import { useSubmit } from '../lib/use-submit';

const EMPTY = { mrn: '', givenName: '', familyName: '', birthDate: '', phone: '', email: '' };
type Field = keyof typeof EMPTY;

export function patientProblems(v: typeof EMPTY, today: string): Partial<Record<Field, string>> {
  const p: Partial<Record<Field, string>> = {};
  if (!v.mrn.trim()) p.mrn = 'Enter the MRN.';
  else if (!/^[A-Za-z0-9-]{1,32}$/.test(v.mrn.trim())) p.mrn = 'An MRN has 1–32 letters, digits or hyphens.';
  if (!v.givenName.trim()) p.givenName = 'Enter the given name.';
  if (!v.familyName.trim()) p.familyName = 'Enter the family name.';
  if (!v.birthDate) p.birthDate = 'Enter the birth date.';
  else if (!isIsoDate(v.birthDate) || v.birthDate < '1900-01-01') p.birthDate = 'Enter a whole date (day, month and year).';
  else if (v.birthDate > today) p.birthDate = 'The birth date cannot be in the future.';
  if (v.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.email.trim()))
    p.email = 'Enter an email address like name@example.org, or leave it empty.';
  return p;
}

export function NewPatientForm({ onCreated, onCancel }: { onCreated: (p: Patient) => void; onCancel: () => void }) {
  const { api } = useAuth();
  const { zone } = useClinicZone();
  const [v, setV] = useState(EMPTY);
  const [tried, setTried] = useState(false);
  const set = (k: Field) => (e: { target: { value: string } }) => setV({ ...v, [k]: e.target.value });
  const problems = tried ? patientProblems(v, dateIn(zone)) : {};

  const { busy, error, submit } = useSubmit(async (idem) => {
    const body: CreatePatient = {
      mrn: v.mrn.trim(),
      givenName: v.givenName.trim(),
      familyName: v.familyName.trim(),
      birthDate: v.birthDate,
      phone: v.phone.trim() || null,
      email: v.email.trim() || null,
    };
    onCreated(await api.createPatient(body, idem(body)));
  });
  const duplicate = error instanceof ApiError && error.status === 409;

  const field = (k: Field, text: string, extra: Record<string, unknown> = {}) => {
    const problem = problems[k] ?? (k === 'mrn' && duplicate ? 'Another patient already has this MRN.' : undefined);
    return (
      <div className="field">
        <label htmlFor={`np-${k}`}>{text}</label>
        <input
          id={`np-${k}`}
          value={v[k]}
          onChange={set(k)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `np-${k}-error` : undefined}
          {...extra}
        />
        {problem && <FieldError id={`np-${k}-error`}>{problem}</FieldError>}
      </div>
    );
  };

  return (
    <form
      className="card form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        const first = Object.keys(patientProblems(v, dateIn(zone)))[0];
        if (first) {
          document.getElementById(`np-${first}`)?.focus();
          return;
        }
        void submit(e);
      }}
      aria-labelledby="np-title"
    >
      <h2 id="np-title">New patient</h2>
      <div className="grid">
        {field('mrn', 'MRN', { maxLength: 32, autoComplete: 'off', 'aria-required': true })}
        {field('givenName', 'Given name', { maxLength: 100, autoComplete: 'off', 'aria-required': true })}
        {field('familyName', 'Family name', { maxLength: 100, autoComplete: 'off', 'aria-required': true })}
        {field('birthDate', 'Birth date', { type: 'date', 'aria-required': true })}
        {field('phone', 'Phone (optional)', { type: 'tel', autoComplete: 'off' })}
        {field('email', 'Email (optional)', { type: 'email', autoComplete: 'off' })}
      </div>
      {error !== null && !duplicate && <ErrorNote error={error} />}
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
