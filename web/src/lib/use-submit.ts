// The submit handling every form shares: busy while the request runs, the error kept for the form to
// show, busy cleared again on failure so the user can correct and resubmit. After a success a form is
// usually replaced (it stays busy, so a second click cannot submit twice); one that stays on screen
// asks to be idle again with `idleAfterSuccess`.
import { useState, type FormEvent } from 'react';

export interface Submit {
  busy: boolean;
  error: unknown;
  submit: (e: FormEvent) => Promise<void>;
  /** Forgets the last error (the user changed what was refused). */
  clearError: () => void;
}

export function useSubmit(action: () => Promise<void>, options: { idleAfterSuccess?: boolean } = {}): Submit {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
      if (options.idleAfterSuccess) setBusy(false);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }
  return { busy, error, submit, clearError: () => setError(null) };
}
