import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { addressWith } from '../parts/address-with.ts';
import { useCursorTrail } from '../parts/cursor-trail.ts';
import { eventSummary } from '../parts/event-summary.ts';
import { Loading } from '../parts/loading.tsx';
import { Pager } from '../parts/pager.tsx';
import { Problem } from '../parts/problem.tsx';
import { EventState, SeverityBadge } from '../parts/severity-badge.tsx';
import { useApiView } from '../parts/use-api-view.ts';
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

/** The filters as query parameters, empty ones left out (by `addressWith`). */
function queryOf(filters: Filters): Record<string, string> {
  return {
    job: filters.job.trim(),
    kind: filters.kind.trim(),
    severity: filters.severity.join(','),
    open: filters.open,
  };
}

/** Open and resolved events, newest first, filtered by state, severity, kind and job, a page at a time. */
export function EventsPage() {
  const location = useLocation();
  const applied = filtersOf(location.query);
  const trail = useCursorTrail('cursor');
  const [draft, setDraft] = useState<Filters>(applied);
  const { view: page, problem } = useApiView<EventPage>(
    addressWith(
      '/api/events',
      { limit: String(pageSize) },
      {
        ...queryOf(applied),
        cursor: trail.cursor === undefined ? null : String(trail.cursor),
      },
    ),
  );

  // The address is the truth: a link or the back button brings its filters into the form.
  useEffect(() => setDraft(filtersOf(location.query)), [location.url]);

  const apply = (filters: Filters) => {
    setDraft(filters);
    location.route(addressWith('/events', {}, queryOf(filters)));
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
      <Problem text={problem} />
      {page === undefined ? (
        problem === undefined && <Loading what="events" />
      ) : page.events.length === 0 ? (
        <p class="muted">{trail.depth === 0 ? 'No event matches.' : 'No older events.'}</p>
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
      <Pager trail={trail} nextCursor={page?.nextCursor} label="pages of events" noun="events" />
    </main>
  );
}
