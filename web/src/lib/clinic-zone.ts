// The clinic's IANA zone, learned from the first API answer that names it (schedule, history, report)
// and kept for the tab. Until then the browser's zone is only a first guess for "today".
import { useSyncExternalStore } from 'react';
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
  return { zone: z ?? browserZone(), known: z !== null };
}
