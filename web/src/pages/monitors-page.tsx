import { useContext, useEffect, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { errorText } from '../parts/error-text.ts';
import { Loading } from '../parts/loading.tsx';
import { Problem } from '../parts/problem.tsx';
import { CopyText } from '../parts/copy-text.tsx';
import { MonitorBadge } from '../parts/monitor-badge.tsx';
import { MonitorTiming } from '../parts/monitor-timing.tsx';
import { PingStrip } from '../parts/ping-strip.tsx';
import { curlLine, pingUrlFor } from '../parts/ping-url.ts';
import { When } from '../parts/when.tsx';
import { SessionContext, mayDo } from '../session-context.ts';
import type { MonitorView, PingPage, PingView } from '../types.ts';

const stripLength = 30;

/** Pause or resume a monitor (scope admin); answers the monitor as it is after the call. */
export async function setMonitorPaused(name: string, paused: boolean): Promise<MonitorView> {
  const answer = await api.post<{ monitor: MonitorView }>(
    `/api/monitors/${encodeURIComponent(name)}/${paused ? 'pause' : 'resume'}`,
  );
  return answer.monitor;
}

/** Every monitor: its state, when it expects pings, its last ping, the URL to ping and its recent pings. */
export function MonitorsPage() {
  const session = useContext(SessionContext);
  const [monitors, setMonitors] = useState<MonitorView[] | undefined>(undefined);
  const [pings, setPings] = useState<ReadonlyMap<string, readonly PingView[]>>(new Map());
  const [problem, setProblem] = useState<string | undefined>(undefined);

  useEffect(() => {
    let current = true;
    const load = async () => {
      const found = await api.get<{ monitors: MonitorView[] }>('/api/monitors');
      if (!current) return;
      setMonitors(found.monitors);
      for (const monitor of found.monitors) {
        const page = await api.get<PingPage>(
          `/api/monitors/${encodeURIComponent(monitor.name)}/pings?limit=${stripLength}`,
        );
        if (!current) return;
        setPings((before) => new Map(before).set(monitor.name, page.pings));
      }
    };
    load().catch((thrown: unknown) => {
      if (current) setProblem(errorText(thrown));
    });
    return () => {
      current = false;
    };
  }, []);

  const toggle = async (monitor: MonitorView) => {
    try {
      const changed = await setMonitorPaused(monitor.name, !monitor.paused);
      setMonitors((before) => before?.map((one) => (one.name === changed.name ? changed : one)));
      setProblem(undefined);
    } catch (thrown) {
      setProblem(errorText(thrown));
    }
  };

  const mayPause = mayDo(session, 'admin');
  return (
    <main>
      <div class="page-head">
        <h1>Monitors</h1>
      </div>
      <Problem text={problem} />
      {monitors === undefined ? (
        problem === undefined && <Loading what="monitors" />
      ) : monitors.length === 0 ? (
        <p class="muted">
          The job file declares no monitor (<code>monitors:</code>, see docs/monitors.md).
        </p>
      ) : (
        <table class="jobs monitors">
          <thead>
            <tr>
              <th scope="col">Monitor</th>
              <th scope="col">Status</th>
              <th scope="col">Expects</th>
              <th scope="col">Last ping</th>
              <th scope="col">Recent pings</th>
              <th scope="col">Ping URL</th>
              {mayPause && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {monitors.map((monitor) => {
              const url = pingUrlFor(monitor);
              return (
                <tr key={monitor.name} data-monitor={monitor.name}>
                  <th scope="row">
                    <a href={`/monitors/${encodeURIComponent(monitor.name)}`} class="job-name">
                      {monitor.name}
                    </a>
                    {monitor.description !== null && <span class="description">{monitor.description}</span>}
                  </th>
                  <td>
                    <MonitorBadge monitor={monitor} />
                  </td>
                  <td>
                    <MonitorTiming monitor={monitor} />
                  </td>
                  <td>
                    <When at={monitor.lastPingAt} />
                  </td>
                  <td>
                    <PingStrip pings={pings.get(monitor.name)} monitor={monitor.name} />
                  </td>
                  <td class="ping-url">
                    <CopyText text={url} label={`the ping URL of ${monitor.name}`} />
                    <CopyText text={curlLine(url)} label={`the curl line of ${monitor.name}`} />
                  </td>
                  {mayPause && (
                    <td class="actions">
                      <button
                        type="button"
                        aria-label={`${monitor.paused ? 'Resume' : 'Pause'} monitor ${monitor.name}`}
                        onClick={() => void toggle(monitor)}
                      >
                        {monitor.paused ? 'Resume' : 'Pause'}
                      </button>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </main>
  );
}
