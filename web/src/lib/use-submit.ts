// The submit handling every form shares: busy while the request runs, the error kept for the form to
// show, busy cleared again on failure so the user can correct and resubmit. After a success a form is
// usually replaced (it stays busy, so a second click cannot submit twice); one that stays on screen
// asks to be idle again with `idleAfterSuccess`.
//
// One Idempotency-Key per user submission: `idem(body)` gives the key for what is being sent. When a
// submission never got an answer (the network failed), sending the same thing again reuses its key, so
// the server replays the first answer instead of acting twice; any answer, or a changed body, starts a
// new submission with a new key.
import { useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/problem';
import { newIdempotencyKey } from '../api/client';

export interface Submit {
  busy: boolean;
  error: unknown;
  submit: (e?: FormEvent) => Promise<void>;
  /** Forgets the last error (the user changed what was refused). */
  clearError: () => void;
}

export type Idem = (body: unknown) => string;

export function useSubmit(action: (idem: Idem) => Promise<void>, options: { idleAfterSuccess?: boolean } = {}): Submit {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const pending = useRef<{ key: string; body: string } | null>(null);
  const idem: Idem = (body) => {
    const json = JSON.stringify(body ?? null);
    if (pending.current?.body !== json) pending.current = { key: newIdempotencyKey(), body: json };
    return pending.current.key;
  };
  async function submit(e?: FormEvent) {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action(idem);
      pending.current = null;
      if (options.idleAfterSuccess) setBusy(false);
    } catch (err) {
      // The server answered: that submission is over. No answer: the next try is the same submission.
      if (err instanceof ApiError) pending.current = null;
      setError(err);
      setBusy(false);
    }
  }
  return { busy, error, submit, clearError: () => setError(null) };
}
