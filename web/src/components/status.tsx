// Loading, empty and error states, the same on every view. Errors show the server's `detail` sentence
// (and which fields were refused), never a JSON body.
import type { ReactNode } from 'react';
import { ApiError, messageOf } from '../api/problem';

export function Loading({ what }: { what: string }) {
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state state-empty">{children}</p>;
}

export function ErrorNote({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const fields = error instanceof ApiError ? error.fieldErrors : [];
  return (
    <div className="state state-error" role="alert">
      <p>{messageOf(error)}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={`${f.path}:${f.message}`}>
              <strong>{f.path.replace(/^body\./, '')}</strong> {f.message}
            </li>
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

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="state state-ok" role="status">
      {children}
    </div>
  );
}
