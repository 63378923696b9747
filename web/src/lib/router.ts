// A small history-API router: the server sends index.html for every /app/* path, so each view has a
// real URL that survives reload and can be bookmarked at the front desk.
import { useSyncExternalStore, type MouseEvent } from 'react';
import { wantHeadingFocus } from './a11y';

export type RouteName = 'today' | 'patients' | 'patient' | 'book' | 'report' | 'keys' | 'notFound';
export interface Route {
  name: RouteName;
  id?: string;
  query: URLSearchParams;
}

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
window.addEventListener('popstate', () => {
  wantHeadingFocus();
  notify();
});

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}
const snapshot = () => window.location.pathname + window.location.search;

export function parseRoute(pathname: string, search: string): Route {
  const query = new URLSearchParams(search);
  const parts = pathname
    .replace(/^\/app\/?/, '')
    .split('/')
    .filter(Boolean)
    .map(decodeURIComponent);
  if (pathname === '/' || pathname === '/app' || pathname === '/app/' || parts[0] === 'today') return { name: 'today', query };
  if (parts[0] === 'patients' && parts.length === 1) return { name: 'patients', query };
  if (parts[0] === 'patients' && parts[1] && parts.length === 2) return { name: 'patient', id: parts[1], query };
  if (parts[0] === 'patients' && parts[1] && parts[2] === 'book' && parts.length === 3) return { name: 'book', id: parts[1], query };
  if (parts[0] === 'report' && parts.length === 1) return { name: 'report', query };
  if (parts[0] === 'keys' && parts.length === 1) return { name: 'keys', query };
  return { name: 'notFound', query };
}

export function useRoute(): Route {
  const s = useSyncExternalStore(subscribe, snapshot);
  const i = s.indexOf('?');
  return parseRoute(i < 0 ? s : s.slice(0, i), i < 0 ? '' : s.slice(i));
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else {
    window.history.pushState(null, '', to);
    wantHeadingFocus();
  }
  window.scrollTo?.(0, 0);
  notify();
}

/** onClick for <a href>: plain clicks stay in the app; modified clicks (new tab) keep the browser's way. */
export function linkClick(e: MouseEvent<HTMLAnchorElement>): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(e.currentTarget.getAttribute('href') ?? '/app/today');
}

export const paths = {
  today: (date?: string) => (date ? `/app/today?date=${date}` : '/app/today'),
  patients: (q?: string) => (q ? `/app/patients?q=${encodeURIComponent(q)}` : '/app/patients'),
  patient: (id: string) => `/app/patients/${encodeURIComponent(id)}`,
  book: (id: string) => `/app/patients/${encodeURIComponent(id)}/book`,
  report: (date?: string) => (date ? `/app/report?date=${date}` : '/app/report'),
  keys: () => '/app/keys',
};
