// The shell: sign-in state, the signed-in layout with navigation by role, and the view for the URL.
import { useEffect, useMemo, useState } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { ApiClient } from './api/client';
import { ApiError, messageOf } from './api/problem';
import type { Me } from './api/types';
import { AuthContext, useAuth, type Auth } from './auth/auth-context';
import { can, ROLE_LABEL } from './auth/permissions';
import { session } from './auth/session';
import { linkClick, navigate, paths, useRoute, type Route } from './lib/router';
import { Announcer, PageHeading, wantHeadingFocus } from './lib/a11y';
import { learnClinicZone } from './lib/clinic-zone';
import { createQueryClient } from './lib/query';
import { KeysView } from './views/keys-view';
import { Loading } from './components/status';
import { SignIn } from './views/sign-in';
import { TodayView } from './views/today-view';
import { PatientsView } from './views/patients-view';
import { PatientView } from './views/patient-view';
import { BookView } from './views/book-view';
import { ReportView } from './views/report-view';

type State = { phase: 'checking'; key: string } | { phase: 'signedOut'; notice?: string } | { phase: 'signedIn'; me: Me; key: string };

const REFUSED = 'Your key was refused, so you have been signed out. Sign in again to continue.';

export function App() {
  const [state, setState] = useState<State>(() => {
    const key = session.key();
    return key ? { phase: 'checking', key } : { phase: 'signedOut' };
  });

  const signOut = (notice?: string) => {
    session.clear();
    setState({ phase: 'signedOut', notice });
  };

  // A key kept from earlier in this tab is checked once; a refused key returns to sign-in.
  const checkingKey = state.phase === 'checking' ? state.key : null;
  useEffect(() => {
    if (checkingKey === null) return;
    new ApiClient(checkingKey).me().then(
      (me) => {
        learnClinicZone(me.timeZone);
        setState({ phase: 'signedIn', me, key: checkingKey });
      },
      (err: unknown) => {
        session.clear();
        setState({ phase: 'signedOut', notice: err instanceof ApiError && err.status === 401 ? REFUSED : messageOf(err) });
      },
    );
  }, [checkingKey]);

  const signedKey = state.phase === 'signedIn' ? state.key : null;
  const api = useMemo(() => (signedKey ? new ApiClient(signedKey, () => signOut(REFUSED)) : null), [signedKey]);
  // A fresh cache per signed-in key: nothing read with one key is ever shown to the next.
  const queries = useMemo(() => (signedKey ? createQueryClient() : null), [signedKey]);

  if (state.phase === 'checking') return <Loading what="your session" />;
  if (state.phase === 'signedOut' || !api || !queries) {
    return (
      <>
        <Announcer />
        <SignIn
          notice={state.phase === 'signedOut' ? state.notice : undefined}
          onSignedIn={(me, key) => {
            session.setKey(key);
            learnClinicZone(me.timeZone);
            wantHeadingFocus();
            setState({ phase: 'signedIn', me, key });
          }}
        />
      </>
    );
  }
  const auth: Auth = { me: state.me, api, signOut: () => signOut('You have signed out.') };
  return (
    <QueryClientProvider client={queries}>
      <AuthContext.Provider value={auth}>
        <Shell />
      </AuthContext.Provider>
    </QueryClientProvider>
  );
}

function Shell() {
  const auth = useAuth();
  const route = useRoute();
  useEffect(() => {
    if (window.location.pathname === '/') navigate(paths.today(), { replace: true });
  }, []);
  return (
    <div className="layout">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Announcer />
      <header className="topbar">
        <a className="brand" href={paths.today()} onClick={linkClick}>
          <img src="/favicon.svg" alt="" width="24" height="24" /> ESI Scheduler
        </a>
        <nav aria-label="Main">
          <NavLink route={route} name="today" href={paths.today()}>
            Today
          </NavLink>
          <NavLink route={route} name="patients" href={paths.patients()} also={['patient', 'book']}>
            Patients
          </NavLink>
          {can(auth.me, 'report.view') && (
            <NavLink route={route} name="report" href={paths.report()}>
              Report
            </NavLink>
          )}
          {can(auth.me, 'keys.manage') && (
            <NavLink route={route} name="keys" href={paths.keys()}>
              API keys
            </NavLink>
          )}
        </nav>
        <div className="who">
          <span className="who-name">{auth.me.name}</span>
          <span className={`badge role role-${auth.me.role}`} data-testid="role">
            {ROLE_LABEL[auth.me.role]}
          </span>
          <button type="button" className="button link" onClick={auth.signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main className="content" id="main" tabIndex={-1}>
        <View route={route} />
      </main>
    </div>
  );
}

function NavLink({
  route,
  name,
  href,
  also = [],
  children,
}: {
  route: Route;
  name: Route['name'];
  href: string;
  also?: Route['name'][];
  children: string;
}) {
  const active = route.name === name || also.includes(route.name);
  return (
    <a href={href} onClick={linkClick} aria-current={active ? 'page' : undefined} className={active ? 'active' : undefined}>
      {children}
    </a>
  );
}

function View({ route }: { route: Route }) {
  switch (route.name) {
    case 'today':
      return <TodayView date={route.query.get('date')} />;
    case 'patients':
      return <PatientsView q={route.query.get('q') ?? ''} />;
    case 'patient':
      return <PatientView id={route.id ?? ''} />;
    case 'book':
      return <BookView patientId={route.id ?? ''} />;
    case 'report':
      return <ReportView date={route.query.get('date')} />;
    case 'keys':
      return <KeysView />;
    case 'notFound':
      return (
        <section>
          <PageHeading id="not-found-title" title="Page not found" />
          <p>
            There is no such page.{' '}
            <a href={paths.today()} onClick={linkClick}>
              Go to today&apos;s schedule
            </a>
            .
          </p>
        </section>
      );
  }
}
