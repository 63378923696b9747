// Loads data for a view: a stable `key` names what is loaded (a change reloads), `reload()` fetches
// again. Answers to an older key are dropped, so a fast date-picker never shows a stale day; during a
// reload of the same key the earlier data stays on screen instead of flashing a spinner.
import { useCallback, useEffect, useRef, useState } from 'react';

interface Settled<T> {
  key: string;
  nonce: number;
  data?: T;
  error?: unknown;
}
export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  /** True until the current key (and reload) has an answer. */
  loading: boolean;
  reload: () => void;
}

export function useLoad<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Loaded<T> {
  const [settled, setSettled] = useState<Settled<T> | null>(null);
  const [nonce, setNonce] = useState(0);
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });
  useEffect(() => {
    if (key === null) return;
    const ctrl = new AbortController();
    loadRef.current(ctrl.signal).then(
      (data) => {
        if (!ctrl.signal.aborted) setSettled({ key, nonce, data });
      },
      (error: unknown) => {
        if (!ctrl.signal.aborted) setSettled({ key, nonce, error });
      },
    );
    return () => ctrl.abort();
  }, [key, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const sameKey = key !== null && settled?.key === key;
  const current = sameKey && settled.nonce === nonce;
  return {
    data: sameKey ? settled.data : undefined,
    error: current ? settled.error : undefined,
    loading: key !== null && !current,
    reload,
  };
}
