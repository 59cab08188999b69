import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { api, onSignedOut, setCsrfToken } from './api.ts';
import { AuditPage } from './pages/audit-page.tsx';
import { EventPage } from './pages/event-page.tsx';
import { EventsPage } from './pages/events-page.tsx';
import { JobPage } from './pages/job-page.tsx';
import { MonitorPage } from './pages/monitor-page.tsx';
import { MonitorsPage } from './pages/monitors-page.tsx';
import { NodesPage } from './pages/nodes-page.tsx';
import { OverviewPage } from './pages/overview-page.tsx';
import { QueuePage, QueuesPage } from './pages/queues-page.tsx';
import { RunPage } from './pages/run-page.tsx';
import { SignInPage } from './pages/sign-in-page.tsx';
import { SessionContext } from './session-context.ts';
import type { SessionView } from './types.ts';

type SessionState =
  | { readonly kind: 'checking' }
  | { readonly kind: 'signed-out' }
  | { readonly kind: 'signed-in'; readonly session: SessionView };

function NotFound() {
  return (
    <main>
      <h1>No such page</h1>
      <p>
        The dashboard has no page at this address. <a href="/">Back to the jobs</a>.
      </p>
    </main>
  );
}

function Header({ session, onSignOut }: { readonly session: SessionView; readonly onSignOut: () => void }) {
  return (
    <header class="top">
      <nav aria-label="main">
        <a href="/" class="brand">
          cronplane
        </a>
        <a href="/">Jobs</a>
        <a href="/events">Events</a>
        <a href="/monitors">Monitors</a>
        <a href="/queues">Queues</a>
        <a href="/audit">Audit</a>
        <a href="/nodes">Nodes</a>
      </nav>
      <span class="who">
        {session.name} <span class="tag">{session.scope}</span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </span>
    </header>
  );
}

function SignedIn({ session, onSignOut }: { readonly session: SessionView; readonly onSignOut: () => void }) {
  const location = useLocation();
  // The sign-in page's address has no page of its own once signed in.
  useEffect(() => {
    if (location.path === '/signin') location.route('/', true);
  }, [location.path]);
  return (
    <SessionContext.Provider value={session}>
      <Header session={session} onSignOut={onSignOut} />
      <div id="content" tabIndex={-1}>
        <Router>
          <Route path="/" component={OverviewPage} />
          <Route path="/jobs/:name" component={JobPage} />
          <Route path="/runs/:id" component={RunPage} />
          <Route path="/events" component={EventsPage} />
          <Route path="/events/:id" component={EventPage} />
          <Route path="/monitors" component={MonitorsPage} />
          <Route path="/monitors/:name" component={MonitorPage} />
          <Route path="/queues" component={QueuesPage} />
          <Route path="/queues/:job" component={QueuePage} />
          <Route path="/audit" component={AuditPage} />
          <Route path="/nodes" component={NodesPage} />
          <Route default component={NotFound} />
        </Router>
      </div>
    </SessionContext.Provider>
  );
}

/**
 * The first thing a keyboard reaches: moves focus past the header to the page's content. (It
 * focuses the content itself, so the router never sees a link to follow.)
 */
function SkipLink() {
  return (
    <a
      class="skip-link"
      href="#content"
      onClick={(event) => {
        event.preventDefault();
        const content = document.getElementById('content');
        content?.focus();
        content?.scrollIntoView();
      }}
    >
      Skip to content
    </a>
  );
}

/** The dashboard: the sign-in page until there is a session, then the pages. */
export function App() {
  const [state, setState] = useState<SessionState>({ kind: 'checking' });

  const enter = (session: SessionView) => {
    setCsrfToken(session.csrfToken);
    setState({ kind: 'signed-in', session });
  };
  const leave = () => {
    setCsrfToken(undefined);
    setState({ kind: 'signed-out' });
  };

  useEffect(() => {
    api
      .get<{ session: SessionView | null }>('/api/session')
      .then((answer) => (answer.session === null ? leave() : enter(answer.session)), leave);
    return onSignedOut(leave);
  }, []);

  const signOut = () => {
    void api.delete('/api/session').finally(leave);
  };

  return (
    <LocationProvider>
      <SkipLink />
      {state.kind === 'checking' ? null : state.kind === 'signed-out' ? (
        <div id="content" tabIndex={-1}>
          <SignInPage onSignedIn={enter} />
        </div>
      ) : (
        <SignedIn session={state.session} onSignOut={signOut} />
      )}
    </LocationProvider>
  );
}
