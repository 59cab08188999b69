import { useContext, useEffect, useState } from 'preact/hooks';
import { ApiFailure, api } from '../api.ts';
import { CopyText } from '../parts/copy-text.tsx';
import { eventSummary } from '../parts/event-summary.ts';
import { MonitorBadge } from '../parts/monitor-badge.tsx';
import { MonitorTiming } from '../parts/monitor-timing.tsx';
import { PingStrip, pingLabel, pingOutcome } from '../parts/ping-strip.tsx';
import { curlLine, pingUrlFor } from '../parts/ping-url.ts';
import { SeverityBadge } from '../parts/severity-badge.tsx';
import { humaneDuration } from '../parts/humane-duration.ts';
import { When } from '../parts/when.tsx';
import { SessionContext, mayDo } from '../session-context.ts';
import type { EventPage, MonitorView, PingPage } from '../types.ts';
import { setMonitorPaused } from './monitors-page.tsx';

const pageSize = 25;
const excerptLength = 120;

function problemOf(thrown: unknown): string {
  return thrown instanceof ApiFailure ? thrown.message : String(thrown);
}

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
  const [monitor, setMonitor] = useState<MonitorView | undefined>(undefined);
  const [pings, setPings] = useState<PingPage | undefined>(undefined);
  const [events, setEvents] = useState<EventPage | undefined>(undefined);
  // The cursors of the pages before this one: the first page has none.
  const [cursors, setCursors] = useState<readonly number[]>([]);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const path = `/api/monitors/${encodeURIComponent(name)}`;
  const cursor = cursors.at(-1);

  useEffect(() => {
    setMonitor(undefined);
    setCursors([]);
    setProblem(undefined);
    api
      .get<{ monitor: MonitorView }>(path)
      .then((answer) => setMonitor(answer.monitor))
      .catch((thrown: unknown) => setProblem(problemOf(thrown)));
    api
      .get<EventPage>(`/api/events?job=${encodeURIComponent(name)}&open=true&limit=20`)
      .then(setEvents)
      .catch((thrown: unknown) => setProblem(problemOf(thrown)));
  }, [name]);

  useEffect(() => {
    let current = true;
    const after = cursor === undefined ? '' : `&cursor=${cursor}`;
    api
      .get<PingPage>(`${path}/pings?limit=${pageSize}${after}`)
      .then((page) => current && setPings(page))
      .catch((thrown: unknown) => current && setProblem(problemOf(thrown)));
    return () => {
      current = false;
    };
  }, [name, cursor]);

  const toggle = async (paused: boolean) => {
    try {
      setMonitor(await setMonitorPaused(name, paused));
      setProblem(undefined);
    } catch (thrown) {
      setProblem(problemOf(thrown));
    }
  };

  const problemLine = problem !== undefined && (
    <p class="problem" role="alert">
      {problem}
    </p>
  );
  if (monitor === undefined) {
    return (
      <main>
        <h1>Monitor {name}</h1>
        {problemLine || <p class="muted">Loading…</p>}
      </main>
    );
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
      {problemLine}
      {monitor.description !== null && <p class="lead">{monitor.description}</p>}
      <dl class="facts">
        <dt>Expects</dt>
        <dd>
          <MonitorTiming monitor={monitor} />
        </dd>
        {monitor.expectSuccessWithin !== null && (
          <>
            <dt>A success within</dt>
            <dd>{monitor.expectSuccessWithin}</dd>
          </>
        )}
        {monitor.minDuration !== null && (
          <>
            <dt>Runs at least</dt>
            <dd>{monitor.minDuration}</dd>
          </>
        )}
        <dt>Last ping</dt>
        <dd>
          <When at={monitor.lastPingAt} />
        </dd>
        <dt>Last success</dt>
        <dd>
          <When at={monitor.lastSuccessAt} />
        </dd>
        <dt>Last failure</dt>
        <dd>
          <When at={monitor.lastFailureAt} />
        </dd>
        {monitor.lastStartAt !== null && (
          <>
            <dt>Started, not ended</dt>
            <dd>
              <When at={monitor.lastStartAt} />
            </dd>
          </>
        )}
        <dt>Status since</dt>
        <dd>
          <When at={monitor.statusChangedAt} />
        </dd>
        {monitor.paused && (
          <>
            <dt>Paused since</dt>
            <dd>
              <When at={monitor.pausedAt} />
            </dd>
          </>
        )}
      </dl>

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
          <p class="muted">…</p>
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
          <p class="muted">…</p>
        ) : pings.pings.length === 0 ? (
          <p class="muted">{cursor === undefined ? 'No pings yet.' : 'No older pings.'}</p>
        ) : (
          <>
            {cursor === undefined && <PingStrip pings={pings.pings} monitor={monitor.name} />}
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
        {pings !== undefined && (cursor !== undefined || pings.nextCursor !== null) && (
          <nav class="pager" aria-label="pages of pings">
            {cursor !== undefined && (
              <button type="button" onClick={() => setCursors((before) => before.slice(0, -1))}>
                Newer
              </button>
            )}
            {pings.nextCursor !== null && (
              <button
                type="button"
                onClick={() => {
                  const next = pings.nextCursor;
                  if (next !== null) setCursors((before) => [...before, next]);
                }}
              >
                Older
              </button>
            )}
          </nav>
        )}
      </section>
    </main>
  );
}
