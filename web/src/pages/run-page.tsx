import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, api } from '../api.ts';
import { StatusBadge } from '../parts/status-badge.tsx';
import { When, humaneDuration } from '../parts/when.tsx';
import type { LogChunk, LogPage, RunDetail } from '../types.ts';

/** The run's output: followed live (Server-Sent Events) until the run ends, read in pages on a failure. */
function useRunLog(id: string, onEnd: () => void): LogChunk[] {
  const [chunks, setChunks] = useState<LogChunk[]>([]);
  useEffect(() => {
    setChunks([]);
    const source = new EventSource(`/api/runs/${encodeURIComponent(id)}/logs/stream`);
    source.addEventListener('log', (event) => {
      const chunk = JSON.parse((event as MessageEvent<string>).data) as LogChunk;
      setChunks((before) => [...before, chunk]);
    });
    source.addEventListener('end', () => {
      source.close();
      onEnd();
    });
    source.addEventListener('error', () => {
      if (source.readyState !== EventSource.CLOSED) return;
      void api
        .get<LogPage>(`/api/runs/${encodeURIComponent(id)}/logs`)
        .then((page) => setChunks([...page.chunks]))
        .catch(() => undefined);
    });
    return () => source.close();
  }, [id]);
  return chunks;
}

/** One run: status, when, where, its transitions and its log. */
export function RunPage({ id }: { readonly id: string }) {
  const [detail, setDetail] = useState<RunDetail | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [version, setVersion] = useState(0);
  const chunks = useRunLog(id, () => setVersion((value) => value + 1));

  useEffect(() => {
    api
      .get<RunDetail>(`/api/runs/${encodeURIComponent(id)}`)
      .then(setDetail)
      .catch((thrown: unknown) => setProblem(thrown instanceof ApiFailure ? thrown.message : String(thrown)));
  }, [id, version]);

  if (problem !== undefined) {
    return (
      <main>
        <h1>Run {id}</h1>
        <p class="problem" role="alert">
          {problem}
        </p>
      </main>
    );
  }
  if (detail === undefined) {
    return (
      <main>
        <h1>Run {id}</h1>
        <p class="muted">Loading…</p>
      </main>
    );
  }
  const { run, transitions, metrics } = detail;
  return (
    <main>
      <div class="page-head">
        <h1>
          Run {run.id} of {run.job}
          {run.fanKey !== '' && <span class="muted"> [{run.fanKey}]</span>}
        </h1>
        <StatusBadge status={run.status} />
      </div>
      <dl class="facts">
        <dt>Trigger</dt>
        <dd>
          {run.trigger}
          {run.requestedBy !== null && ` by ${run.requestedBy}`}
        </dd>
        <dt>Scheduled</dt>
        <dd>
          <When at={run.scheduledAt} />
        </dd>
        <dt>Started</dt>
        <dd>
          <When at={run.startedAt} />
        </dd>
        <dt>Duration</dt>
        <dd>{humaneDuration(run.durationMs)}</dd>
        <dt>Attempt</dt>
        <dd>{run.attempt}</dd>
        <dt>Node</dt>
        <dd>{run.node ?? '—'}</dd>
        {run.exitCode !== null && (
          <>
            <dt>Exit code</dt>
            <dd>{run.exitCode}</dd>
          </>
        )}
        {(run.error ?? run.statusReason) !== null && (
          <>
            <dt>Why</dt>
            <dd>{run.error ?? run.statusReason}</dd>
          </>
        )}
      </dl>
      {Object.keys(metrics).length > 0 && (
        <section>
          <h2>Metrics</h2>
          <dl class="facts">
            {Object.entries(metrics).map(([name, value]) => (
              <>
                <dt key={`${name}-name`}>{name}</dt>
                <dd key={`${name}-value`}>{value}</dd>
              </>
            ))}
          </dl>
        </section>
      )}
      <section>
        <h2>Transitions</h2>
        <ol class="timeline">
          {transitions.map((transition) => (
            <li key={transition.seq}>
              <When at={transition.at} /> <StatusBadge status={transition.to} />
              {transition.reason !== null && <span class="muted"> {transition.reason}</span>}
              {transition.node !== null && <span class="muted"> on {transition.node}</span>}
            </li>
          ))}
        </ol>
      </section>
      <section>
        <h2>Log</h2>
        {chunks.length === 0 ? (
          <p class="muted">No output.</p>
        ) : (
          <pre class="log" role="log" tabIndex={0} aria-label={`output of run ${run.id}`}>
            {chunks.map((chunk) => (
              <span key={chunk.seq} class={`log-${chunk.stream}`}>
                {chunk.text}
              </span>
            ))}
          </pre>
        )}
      </section>
    </main>
  );
}
