import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiFailure, api } from '../api.ts';
import { eventSummary } from '../parts/event-summary.ts';
import { EventState, SeverityBadge } from '../parts/severity-badge.tsx';
import { When } from '../parts/when.tsx';
import type { EventPage, EventSeverity } from '../types.ts';

const severities: readonly EventSeverity[] = ['critical', 'failure', 'warning', 'info'];
const pageSize = 50;

/** The page's filters, all in its address so other pages can link to a view of the events. */
interface Filters {
  /** 'true': open only; 'false': resolved only; '': both. */
  readonly open: '' | 'true' | 'false';
  readonly severity: readonly EventSeverity[];
  readonly kind: string;
  readonly job: string;
}

function filtersOf(query: Readonly<Record<string, string>>): Filters {
  const open = query['open'];
  return {
    open: open === 'true' || open === 'false' ? open : '',
    severity: (query['severity'] ?? '')
      .split(',')
      .filter((name): name is EventSeverity => (severities as readonly string[]).includes(name)),
    kind: query['kind'] ?? '',
    job: query['job'] ?? '',
  };
}

function searchOf(filters: Filters, cursor?: string): string {
  const search = new URLSearchParams();
  if (filters.job.trim() !== '') search.set('job', filters.job.trim());
  if (filters.kind.trim() !== '') search.set('kind', filters.kind.trim());
  if (filters.severity.length > 0) search.set('severity', filters.severity.join(','));
  if (filters.open !== '') search.set('open', filters.open);
  if (cursor !== undefined) search.set('cursor', cursor);
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/** Open and resolved events, newest first, filtered by state, severity, kind and job, a page at a time. */
export function EventsPage() {
  const location = useLocation();
  const applied = filtersOf(location.query);
  const cursor = location.query['cursor'];
  const [draft, setDraft] = useState<Filters>(applied);
  const [page, setPage] = useState<EventPage | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);

  // The address is the truth: a link or the back button brings its filters into the form.
  useEffect(() => setDraft(filtersOf(location.query)), [location.url]);

  useEffect(() => {
    let current = true;
    setProblem(undefined);
    const search = new URLSearchParams(searchOf(applied, cursor));
    search.set('limit', String(pageSize));
    api
      .get<EventPage>(`/api/events?${search.toString()}`)
      .then((found) => current && setPage(found))
      .catch((thrown: unknown) => {
        if (current) setProblem(thrown instanceof ApiFailure ? thrown.message : String(thrown));
      });
    return () => {
      current = false;
    };
  }, [location.url]);

  const apply = (filters: Filters) => {
    setDraft(filters);
    location.route(`/events${searchOf(filters)}`);
  };
  const toggle = (severity: EventSeverity, on: boolean) =>
    apply({
      ...draft,
      severity: severities.filter((name) => (name === severity ? on : draft.severity.includes(name))),
    });

  return (
    <main>
      <div class="page-head">
        <h1>Events</h1>
      </div>
      <form
        class="filters"
        aria-label="Filter events"
        onSubmit={(event) => {
          event.preventDefault();
          apply(draft);
        }}
      >
        <label>
          <span>State</span>
          <select
            value={draft.open}
            onChange={(event) => apply({ ...draft, open: event.currentTarget.value as Filters['open'] })}
          >
            <option value="">open and resolved</option>
            <option value="true">open</option>
            <option value="false">resolved</option>
          </select>
        </label>
        <fieldset>
          <legend>Severity</legend>
          {severities.map((severity) => (
            <label key={severity} class="check">
              <input
                type="checkbox"
                checked={draft.severity.includes(severity)}
                onChange={(event) => toggle(severity, event.currentTarget.checked)}
              />
              {severity}
            </label>
          ))}
        </fieldset>
        <label>
          <span>Kind</span>
          <input
            type="text"
            value={draft.kind}
            placeholder="run:failed"
            onInput={(event) => setDraft({ ...draft, kind: event.currentTarget.value })}
          />
        </label>
        <label>
          <span>Job</span>
          <input
            type="text"
            value={draft.job}
            onInput={(event) => setDraft({ ...draft, job: event.currentTarget.value })}
          />
        </label>
        <button type="submit">Filter</button>
        {location.url !== '/events' && <a href="/events">Clear</a>}
      </form>
      {problem !== undefined && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
      {page === undefined ? (
        problem === undefined && <p class="muted">Loading events…</p>
      ) : page.events.length === 0 ? (
        <p class="muted">{cursor === undefined ? 'No event matches.' : 'No older events.'}</p>
      ) : (
        <table class="jobs events">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Severity</th>
              <th scope="col">Kind</th>
              <th scope="col">Job</th>
              <th scope="col">When</th>
              <th scope="col">Count</th>
              <th scope="col">Summary</th>
              <th scope="col">Run</th>
            </tr>
          </thead>
          <tbody>
            {page.events.map((event) => (
              <tr key={event.id} data-event={event.id}>
                <th scope="row">
                  <a href={`/events/${event.id}`}>#{event.id}</a> <EventState resolvedAt={event.resolvedAt} />
                </th>
                <td>
                  <SeverityBadge severity={event.severity} />
                </td>
                <td>
                  <code>{event.kind}</code>
                </td>
                <td>
                  {event.job === null ? (
                    <span class="muted">—</span>
                  ) : (
                    <a href={`/jobs/${encodeURIComponent(event.job)}`}>{event.job}</a>
                  )}
                </td>
                <td class="when-range">
                  <When at={event.firstSeen} />
                  {event.lastSeen !== event.firstSeen && (
                    <span class="muted">
                      {' '}
                      last <When at={event.lastSeen} />
                    </span>
                  )}
                </td>
                <td>{event.count}</td>
                <td>{eventSummary(event)}</td>
                <td>
                  {event.runId === null ? (
                    <span class="muted">—</span>
                  ) : (
                    <a href={`/runs/${event.runId}`}>run {event.runId}</a>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page !== undefined && (cursor !== undefined || page.nextCursor !== null) && (
        <nav class="pager" aria-label="pages of events">
          {cursor !== undefined && <a href={`/events${searchOf(applied)}`}>Newest</a>}
          {page.nextCursor !== null && (
            <a href={`/events${searchOf(applied, String(page.nextCursor))}`} rel="next">
              Older
            </a>
          )}
        </nav>
      )}
    </main>
  );
}
