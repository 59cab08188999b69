import { useLocation } from 'preact-iso';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { errorText } from '../parts/error-text.ts';
import { Facts } from '../parts/facts.tsx';
import { LoadingPage } from '../parts/loading-page.tsx';
import { LogView } from '../parts/log-view.tsx';
import { Problem } from '../parts/problem.tsx';
import { StatusBadge } from '../parts/status-badge.tsx';
import { humaneDuration } from '../parts/humane-duration.ts';
import { useApiView } from '../parts/use-api-view.ts';
import { When } from '../parts/when.tsx';
import { SessionContext, mayDo } from '../session-context.ts';
import type { LogChunk, LogPage, RunPageDetail, RunPageView } from '../types.ts';

/** Statuses a run can be retried from by hand (the API refuses the others with 409). */
const retryable = new Set(['failed', 'critical', 'timed_out', 'lost', 'cancelled']);
/** Statuses a run can be cancelled in. */
const cancellable = new Set(['pending', 'running', 'held']);

const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 4 });

interface RunLog {
  readonly chunks: readonly LogChunk[];
  /** The stream is open: the run has not ended. */
  readonly live: boolean;
}

/**
 * The run's output: followed live (Server-Sent Events) until the run ends, read in pages when the
 * stream fails. `onChange` is called when the first output arrives and when the run ends.
 */
function useRunLog(id: string, onChange: () => void): RunLog {
  const [log, setLog] = useState<RunLog>({ chunks: [], live: true });
  const changed = useRef(onChange);
  changed.current = onChange;
  useEffect(() => {
    setLog({ chunks: [], live: true });
    const path = `/api/runs/${encodeURIComponent(id)}/logs`;
    const source = new EventSource(`${path}/stream`);
    let seen = false;
    source.addEventListener('log', (event) => {
      const chunk = JSON.parse((event as MessageEvent<string>).data) as LogChunk;
      setLog((before) => ({ ...before, chunks: [...before.chunks, chunk] }));
      if (!seen) changed.current();
      seen = true;
    });
    source.addEventListener('end', () => {
      source.close();
      setLog((before) => ({ ...before, live: false }));
      changed.current();
    });
    source.addEventListener('error', () => {
      if (source.readyState !== EventSource.CLOSED) return;
      const readAll = async () => {
        const chunks: LogChunk[] = [];
        for (let after = 0; ;) {
          const page = await api.get<LogPage>(`${path}?after=${after}`);
          chunks.push(...page.chunks);
          if (page.chunks.length === 0 || page.done) break;
          after = page.nextAfter;
        }
        setLog({ chunks, live: false });
      };
      readAll().catch(() => undefined);
    });
    return () => source.close();
  }, [id]);
  return log;
}

function Attempts({
  attempts,
  current,
}: {
  readonly attempts: readonly RunPageView[];
  readonly current: number;
}) {
  return (
    <section>
      <h2>Attempts</h2>
      <ol class="attempts">
        {attempts.map((attempt) => (
          <li key={attempt.id} class={attempt.id === current ? 'attempt current' : 'attempt'}>
            <a href={`/runs/${attempt.id}`} aria-current={attempt.id === current ? 'page' : undefined}>
              Attempt {attempt.attempt}
            </a>{' '}
            <span class="muted">run {attempt.id}</span> <StatusBadge status={attempt.status} />{' '}
            <When at={attempt.startedAt ?? attempt.scheduledAt} />{' '}
            <span class="muted">{humaneDuration(attempt.durationMs)}</span>
            {attempt.id === current && <span class="tag">this run</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Given({ run }: { readonly run: RunPageView }) {
  const params = Object.entries(run.params);
  if (params.length === 0 && run.payload === null) return null;
  return (
    <section>
      <h2>Given</h2>
      {params.length > 0 && (
        <Facts
          kind="params"
          facts={params.map(([name, value]) => [
            <code>{name}</code>,
            <>
              <code>{value}</code>
              {value === '***' && <span class="tag">secret</span>}
            </>,
          ])}
        />
      )}
      {run.payload !== null && (
        <>
          <h3>Payload</h3>
          <pre class="payload" tabIndex={0} aria-label={`payload of run ${run.id}`}>
            {JSON.stringify(run.payload, null, 2)}
          </pre>
        </>
      )}
    </section>
  );
}

/** One run: status, when, where, its attempts, what it was given, its numbers, transitions and log. */
export function RunPage({ id }: { readonly id: string }) {
  const session = useContext(SessionContext);
  const location = useLocation();
  const [actionProblem, setActionProblem] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [version, setVersion] = useState(0);
  const log = useRunLog(id, () => setVersion((value) => value + 1));
  const {
    view: detail,
    problem,
    setView,
  } = useApiView<RunPageDetail>(`/api/runs/${encodeURIComponent(id)}`, { version });

  useEffect(() => setActionProblem(undefined), [id]);

  if (detail === undefined) {
    return <LoadingPage title={`Run ${id}`} problem={problem} />;
  }
  const { run, attempts, transitions, metrics } = detail;
  const mayAct = mayDo(session, 'trigger');

  const act = async (what: 'retry' | 'cancel') => {
    setBusy(true);
    setActionProblem(undefined);
    try {
      const answer = await api.post<{ run: RunPageView }>(`/api/runs/${run.id}/${what}`);
      if (what === 'retry') location.route(`/runs/${answer.run.id}`);
      else {
        setView({ ...detail, run: answer.run });
        setVersion((value) => value + 1);
      }
    } catch (thrown) {
      setActionProblem(errorText(thrown));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main>
      <div class="page-head">
        <h1>
          Run {run.id} of <a href={`/jobs/${encodeURIComponent(run.job)}`}>{run.job}</a>
          {run.fanKey !== '' && <span class="muted"> [{run.fanKey}]</span>}
        </h1>
        <span class="run-state">
          <StatusBadge status={run.status} />
          {mayAct && retryable.has(run.status) && (
            <button type="button" disabled={busy} onClick={() => void act('retry')}>
              Retry
            </button>
          )}
          {mayAct && cancellable.has(run.status) && (
            <button type="button" disabled={busy} onClick={() => void act('cancel')}>
              Cancel
            </button>
          )}
        </span>
      </div>
      <Problem text={actionProblem ?? problem} />
      <Facts
        facts={[
          ['Trigger', `${run.trigger}${run.requestedBy === null ? '' : ` by ${run.requestedBy}`}`],
          ['Scheduled', <When at={run.scheduledAt} />],
          ['Started', <When at={run.startedAt} />],
          ['Duration', humaneDuration(run.durationMs)],
          ['Attempt', run.attempt],
          ['Node', run.node ?? '—'],
          run.exitCode !== null && ['Exit code', run.exitCode],
          (run.error ?? run.statusReason) !== null && ['Why', run.error ?? run.statusReason],
        ]}
      />
      {attempts.length > 1 && <Attempts attempts={attempts} current={run.id} />}
      <Given run={run} />
      {Object.keys(metrics).length > 0 && (
        <section>
          <h2>Metrics</h2>
          <Facts
            facts={Object.entries(metrics).map(([name, value]) => [
              name,
              <span class="number">{number.format(value)}</span>,
            ])}
          />
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
        <LogView runId={run.id} chunks={log.chunks} live={log.live} truncated={run.logTruncated} />
      </section>
    </main>
  );
}
