// Loading, empty and error states, the same on every view. Errors are sentences for clinic staff:
// a refusal by a rule shows the server's explanation, but a request the server could not read (400)
// is named by the fields involved in words, never by the API's own validation text.
import type { ReactNode } from 'react';
import { ApiError, messageOf } from '../api/problem';
import { announce } from '../lib/a11y';

export function Loading({ what }: { what: string }) {
  return (
    <p className="state state-loading">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state state-empty">{children}</p>;
}

const FIELD_WORDS: Record<string, string> = {
  scheduledAt: 'the date and time',
  performedAt: 'the date and time performed',
  on: 'the date',
  date: 'the date',
  level: 'the level',
  levels: 'the levels',
  approach: 'the approach',
  side: 'the side',
  reason: 'the reason',
  mrn: 'the MRN',
  givenName: 'the given name',
  familyName: 'the family name',
  birthDate: 'the birth date',
  phone: 'the phone number',
  email: 'the email address',
  diagnosis: 'the diagnosis',
  conservativeCareStartedOn: 'the date conservative care started',
  painBefore: 'the pain score before',
  painAfter: 'the pain score after',
  percentImprovement: 'the improvement',
  assessedOn: 'the assessment date',
  reliefLastedDays: 'how long relief lasted',
  allowInjections: 'the number of injections allowed',
  note: 'the note',
  name: 'the name',
  role: 'the role',
};

/** "body.levels.0" → "the levels"; anything unknown (ids in the URL, headers) → null. */
export function fieldWords(path: string): string | null {
  const parts = path.split('.').filter((p) => p !== 'body' && p !== 'query' && !/^\d+$/.test(p));
  for (const p of parts.reverse()) if (FIELD_WORDS[p]) return FIELD_WORDS[p];
  return null;
}

/** The sentence to show for an error, in clinic words. */
export function plainMessage(error: unknown): string {
  if (error instanceof ApiError && error.code === 'INJECTION.ANATOMY') return 'This injection cannot be performed as described:';
  if (error instanceof ApiError && error.status === 400) {
    const named = [...new Set(error.fieldErrors.map((f) => fieldWords(f.path)).filter((w): w is string => w !== null))];
    if (named.length > 0) return `Please check ${named.join(', ')}: the server could not accept ${named.length === 1 ? 'it' : 'them'}.`;
    return 'The server could not accept this request. Reload the page and try again; if it happens again, tell the administrator.';
  }
  if (error instanceof ApiError && error.status === 404) return 'This record no longer exists, or the link is wrong.';
  if (error instanceof ApiError && error.status === 403) return 'Your role may not do this.';
  return messageOf(error);
}

/** Anatomy problems are clinical sentences written for people: shown one by one, with the field named. */
function anatomyItems(error: unknown): string[] {
  if (!(error instanceof ApiError) || error.code !== 'INJECTION.ANATOMY') return [];
  return error.fieldErrors.map((f) => {
    const words = fieldWords(f.path);
    return words ? `${words.charAt(0).toUpperCase()}${words.slice(1)}: ${f.message}.` : `${f.message}.`;
  });
}

export function ErrorNote({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const anatomy = anatomyItems(error);
  return (
    <div className="state state-error" role="alert">
      <p>{plainMessage(error)}</p>
      {anatomy.length > 0 && (
        <ul>
          {anatomy.map((a) => (
            <li key={a}>{a}</li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" className="button secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** An error beside the field it is about (linked with aria-describedby by the field). */
export function FieldError({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p id={id} className="field-error">
      {children}
    </p>
  );
}

/**
 * A confirmation on screen. It is read out through the page's live region (present from the start),
 * because a region inserted already filled is often skipped by screen readers.
 */
export function Notice({ children }: { children: ReactNode }) {
  return <div className="state state-ok notice">{children}</div>;
}

/** Shows a confirmation and reads it out. */
export function confirmDone(setNotice: (msg: string) => void, msg: string): void {
  setNotice(msg);
  announce(msg);
}
