// The clinic's IANA zone. GET /v1/me names it at sign-in, so a signed-in view never guesses; API answers
// that name it (schedule, history, report) keep it current for the tab.
import { useContext, useSyncExternalStore } from 'react';
import { AuthContext } from '../auth/auth-context';
import { session } from '../auth/session';
import { browserZone } from './time';

let known: string | null = session.zone();
const listeners = new Set<() => void>();

export function learnClinicZone(zone: string | undefined | null): void {
  if (!zone || zone === known) return;
  known = zone;
  session.setZone(zone);
  listeners.forEach((l) => l());
}

export function useClinicZone(): { zone: string; known: boolean } {
  const z = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => known,
  );
  const fromMe = useContext(AuthContext)?.me.timeZone ?? null;
  const zone = z ?? fromMe;
  return { zone: zone ?? browserZone(), known: zone !== null };
}
