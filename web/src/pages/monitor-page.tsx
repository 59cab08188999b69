import { useContext } from 'preact/hooks';
import { CopyText } from '../parts/copy-text.tsx';
import { useCursorTrail } from '../parts/cursor-trail.ts';
import { errorText } from '../parts/error-text.ts';
import { eventSummary } from '../parts/event-summary.ts';
import { Facts } from '../parts/facts.tsx';
import { Loading } from '../parts/loading.tsx';
import { LoadingPage } from '../parts/loading-page.tsx';
import { MonitorBadge } from '../parts/monitor-badge.tsx';
import { MonitorTiming } from '../parts/monitor-timing.tsx';
import { Pager } from '../parts/pager.tsx';
import { PingStrip, pingLabel, pingOutcome } from '../parts/ping-strip.tsx';
import { curlLine, pingUrlFor } from '../parts/ping-url.ts';
import { Problem } from '../parts/problem.tsx';
import { SeverityBadge } from '../parts/severity-badge.tsx';
import { humaneDuration } from '../parts/humane-duration.ts';
import { useApiView } from '../parts/use-api-view.ts';
import { When } from '../parts/when.tsx';
import { SessionContext, mayDo } from '../session-context.ts';
import type { EventPage, MonitorView, PingPage } from '../types.ts';
import { setMonitorPaused } from './monitors-page.tsx';

const pageSize = 25;
const excerptLength = 120;

/** A ping's body: its size and first characters, the rest on opening (masked by the daemon when stored). */
function PingBody({ body, truncated }: { readonly body: string | null; readonly truncated: boolean }) {
  if (body === null || body === '') return <span class="muted">—</span>;
  const size = new TextEncoder().encode(body).length;
  const sizeText = `${size.toLocaleString()} bytes${truncated ? ', cut' : ''}`;
  if (body.length <= excerptLength && !body.includes('\n')) {
    return (
      <span>
        <code class="detail">{body}</code> <span class="muted">({sizeText})</span>
      </span>
    );
  }
  return (
    <details class="ping-body">
      <summary>
        <code class="detail">{body.slice(0, excerptLength).split('\n')[0]}…</code>{' '}
        <span class="muted">({sizeText})</span>
      </summary>
      <pre class="log">{body}</pre>
    </details>
  );
}

/** One monitor: its facts, the URL and lines to ping it, its pings a page at a time and its open events. */
export function MonitorPage({ name }: { readonly name: string }) {
  const session = useContext(SessionContext);
  const path = `/api/monitors/${encodeURIComponent(name)}`;
  const read = useApiView<{ monitor: MonitorView }>(path);
  const eventsRead = useApiView<EventPage>(`/api/events?job=${encodeURIComponent(name)}&open=true&limit=20`);
  const events = eventsRead.view;
  // The pings a page at a time, the page in the address (`?pings=`).
  const trail = useCursorTrail('pings');
  const after = trail.cursor === undefined ? '' : `&cursor=${trail.cursor}`;
  const pingRead = useApiView<PingPage>(`${path}/pings?limit=${pageSize}${after}`);
  const pings = pingRead.view;
  const monitor = read.view?.monitor;
  const problem = read.problem ?? eventsRead.problem ?? pingRead.problem;

  const toggle = async (paused: boolean) => {
    try {
      read.setView({ monitor: await setMonitorPaused(name, paused) });
      read.setProblem(undefined);
    } catch (thrown) {
      read.setProblem(errorText(thrown));
    }
  };

  if (monitor === undefined) {
    return <LoadingPage title={`Monitor ${name}`} problem={problem} />;
  }
  const url = pingUrlFor(monitor);
  const eventsLink = `/events?job=${encodeURIComponent(name)}&open=true`;
  return (
    <main>
      <div class="page-head">
        <h1>Monitor {monitor.name}</h1>
        <MonitorBadge monitor={monitor} />
        {mayDo(session, 'admin') && (
          <button type="button" onClick={() => void toggle(!monitor.paused)}>
            {monitor.paused ? 'Resume' : 'Pause'}
          </button>
        )}
      </div>
      <Problem text={problem} />
      {monitor.description !== null && <p class="lead">{monitor.description}</p>}
      <Facts
        facts={[
          ['Expects', <MonitorTiming monitor={monitor} />],
          monitor.expectSuccessWithin !== null && ['A success within', monitor.expectSuccessWithin],
          monitor.minDuration !== null && ['Runs at least', monitor.minDuration],
          ['Last ping', <When at={monitor.lastPingAt} />],
          ['Last success', <When at={monitor.lastSuccessAt} />],
          ['Last failure', <When at={monitor.lastFailureAt} />],
          monitor.lastStartAt !== null && ['Started, not ended', <When at={monitor.lastStartAt} />],
          ['Status since', <When at={monitor.statusChangedAt} />],
          monitor.paused && ['Paused since', <When at={monitor.pausedAt} />],
        ]}
      />

      <section>
        <h2>Ping it</h2>
        <p class="hint">No token needed: the address is the key, so keep it like a password.</p>
        <ul class="ping-lines">
          <li>
            <span class="ping-line-what">URL</span>
            <CopyText text={url} label={`the ping URL of ${monitor.name}`} />
          </li>
          <li>
            <span class="ping-line-what">On success</span>
            <CopyText text={curlLine(url)} label="the curl line for a success" />
          </li>
          <li>
            <span class="ping-line-what">On start</span>
            <CopyText text={`curl -fsS -m 10 ${url}/start`} label="the curl line for a start" />
          </li>
          <li>
            <span class="ping-line-what">With the exit code</span>
            <CopyText text={`curl -fsS -m 10 ${url}/$?`} label="the curl line with the exit code" />
          </li>
        </ul>
      </section>

      <section>
        <h2>Open events</h2>
        {events === undefined ? (
          <Loading />
        ) : events.events.length === 0 ? (
          <p class="muted">
            None open. <a href={`/events?job=${encodeURIComponent(name)}`}>Every event of {name}</a>
          </p>
        ) : (
          <>
            <ul class="event-list">
              {events.events.map((event) => (
                <li key={event.id}>
                  <SeverityBadge severity={event.severity} /> <a href={`/events/${event.id}`}>{event.kind}</a>{' '}
                  <When at={event.lastSeen} /> <span class="muted">{eventSummary(event)}</span>
                </li>
              ))}
            </ul>
            <p>
              <a href={eventsLink}>All open events of {name}</a>
            </p>
          </>
        )}
      </section>

      <section>
        <h2>Pings</h2>
        {pings === undefined ? (
          <Loading />
        ) : pings.pings.length === 0 ? (
          <p class="muted">{trail.depth === 0 ? 'No pings yet.' : 'No older pings.'}</p>
        ) : (
          <>
            {trail.depth === 0 && <PingStrip pings={pings.pings} monitor={monitor.name} />}
            <table class="jobs pings">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Ping</th>
                  <th scope="col">Duration</th>
                  <th scope="col">Body</th>
                  <th scope="col">From</th>
                </tr>
              </thead>
              <tbody>
                {pings.pings.map((ping) => (
                  <tr key={ping.id} data-ping={ping.id}>
                    <td>
                      <When at={ping.at} />
                    </td>
                    <td>
                      <span class={`status ping-${pingOutcome(ping)}`}>
                        <span class="status-mark" aria-hidden="true" />
                        {pingLabel(ping)}
                      </span>
                    </td>
                    <td>{ping.durationMs === null ? '—' : humaneDuration(ping.durationMs)}</td>
                    <td>
                      <PingBody body={ping.body} truncated={ping.bodyTruncated} />
                    </td>
                    <td>{ping.source === null ? '—' : <span class="source">{ping.source}</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
        <Pager trail={trail} nextCursor={pings?.nextCursor} label="pages of pings" noun="pings" />
      </section>
    </main>
  );
}
