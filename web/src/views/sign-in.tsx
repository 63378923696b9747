// Sign-in with an API key: checked against GET /v1/me before it is kept (in sessionStorage only).
import { useEffect, useState, type FormEvent } from 'react';
import { APP_NAME } from '../lib/a11y';
import { ApiClient } from '../api/client';
import { ApiError, messageOf } from '../api/problem';
import type { Me } from '../api/types';

export function SignIn({ onSignedIn, notice }: { onSignedIn: (me: Me, key: string) => void; notice?: string | undefined }) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    document.title = `Sign in · ${APP_NAME}`;
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) {
      setError('Enter the API key you were given.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const me = await new ApiClient(trimmed).me();
      onSignedIn(me, trimmed);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? `That key was not accepted: ${err.message}` : messageOf(err));
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <form className="card sign-in-card" onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title" noValidate>
        <h1 id="sign-in-title">
          <img src="/favicon.svg" alt="" width="28" height="28" /> ESI Scheduler
        </h1>
        <p className="muted">Sign in with the API key issued to you by the clinic administrator.</p>
        {notice && !error && (
          <p className="state state-info" role="status">
            {notice}
          </p>
        )}
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={key}
          onChange={(e) => setKey(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'sign-in-error' : undefined}
          autoFocus
        />
        {error && (
          <p id="sign-in-error" className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="muted small">The key is kept only for this browser tab and forgotten when it closes.</p>
      </form>
    </main>
  );
}
