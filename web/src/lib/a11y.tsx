// What keyboard and screen-reader users need from a single-page app: after sign-in, a navigation or a
// finished action the focus moves to the new page's heading (not left on <body>), the tab title names
// the view, and page changes and confirmations are read out from a live region that is on the page
// before its text changes (a region inserted already filled is often skipped).
import { useEffect, useRef, useSyncExternalStore } from 'react';

let focusWanted = false;
let message = '';
const listeners = new Set<() => void>();

/** The next page heading to appear takes the focus (called on navigation and sign-in). */
export function wantHeadingFocus(): void {
  focusWanted = true;
}

/** Reads a sentence out politely. The same text twice is read twice. */
export function announce(text: string): void {
  message = '';
  listeners.forEach((l) => l());
  // A tick later, so assistive technology sees a change even when the text repeats.
  setTimeout(() => {
    message = text;
    listeners.forEach((l) => l());
  }, 50);
}

export function Announcer() {
  const text = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => message,
  );
  return (
    <div className="sr-only" role="status" aria-live="polite" aria-atomic="true" data-testid="announcer">
      {text}
    </div>
  );
}

export const APP_NAME = 'ESI Scheduler';

/** The view's <h1>: names the tab, and takes the focus (and is announced) when the user arrived here. */
export function PageHeading({ id, title, children }: { id: string; title: string; children?: React.ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${APP_NAME}`;
    if (focusWanted && ref.current) {
      focusWanted = false;
      ref.current.focus();
      announce(`${title} page`);
    }
  }, [title]);
  return (
    <h1 id={id} ref={ref} tabIndex={-1} className="page-heading">
      {children ?? title}
    </h1>
  );
}
