import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiFailure, api } from '../api.ts';
import { useRunChanges } from './run-changes.ts';
import type { RunPageView, RunView } from '../types.ts';
import { StatusBadge } from './status-badge.tsx';
import { humaneDuration } from './humane-duration.ts';
import { When } from './when.tsx';

export const runsPerPage = 50;
/** Changes of the job's runs that come within this long are read in one re-read of the page. */
const coalesceMs = 250;

const statusFilters = [
  { label: 'every status', value: '' },
  { label: 'succeeded', value: 'succeeded' },
  { label: 'failed, timed out or lost', value: 'failed,timed_out,lost' },
  { label: 'critical', value: 'critical' },
  { label: 'warning', value: 'warning' },
  { label: 'pending or running', value: 'pending,running' },
  { label: 'held', value: 'held' },
  { label: 'skipped or cancelled', value: 'skipped,cancelled' },
] as const;

/**
 * The page the address names: `runs` holds the cursors of the pages walked to from the newest
 * (so Newer, and the browser's Back, return the way they came), `status` the filter.
 */
function pageFromQuery(query: Record<string, string>) {
  const trail = (query['runs'] ?? '')
    .split('.')
    .filter((part) => /^[0-9]+$/.test(part))
    .map(Number);
  const status = statusFilters.some((filter) => filter.value === query['status'])
    ? (query['status'] ?? '')
    : '';
  return { trail, status };
}

function addressOf(path: string, query: Record<string, string>, changes: Record<string, string | null>) {
  const next = new URLSearchParams(query);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null || value === '') next.delete(name);
    else next.set(name, value);
  }
  const text = next.toString();
  return text === '' ? path : `${path}?${text}`;
}

const active = (run: RunView) => run.status === 'pending' || run.status === 'running';

/**
 * A job's runs, newest first, a page at a time by the API's cursor; the page and the status filter
 * live in the address. `version` changes when the caller knows of new runs (a trigger's answer).
 */
export function JobRunsTable({
  job,
  version,
  onSettled,
}: {
  readonly job: string;
  readonly version: number;
  /** Called when runs on the page that were pending or running have ended. */
  readonly onSettled: () => void;
}) {
  const location = useLocation();
  const { trail, status } = pageFromQuery(location.query);
  const cursor = trail.at(-1);
  const [page, setPage] = useState<RunPageView | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const wasActive = useRef(false);
  const settled = useRef(onSettled);
  settled.current = onSettled;
  const [changes, setChanges] = useState(0);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(pending.current), []);

  // Live: the daemon's run-change stream (Server-Sent Events) says when a run of this job was
  // created or changed, on any node; a burst of changes is one re-read of the page shown.
  const changed = () => {
    if (pending.current !== undefined) return;
    pending.current = setTimeout(() => {
      pending.current = undefined;
      setChanges((value) => value + 1);
    }, coalesceMs);
  };
  useRunChanges((change) => {
    if (change.job === job) changed();
  }, changed);

  // The one way the table is read again: on a new page, a trigger's answer, and a change of its runs.
  useEffect(() => {
    let current = true;
    const refresh = async () => {
      const query = new URLSearchParams({ job, limit: String(runsPerPage) });
      if (cursor !== undefined) query.set('cursor', String(cursor));
      if (status !== '') query.set('status', status);
      try {
        const answer = await api.get<RunPageView>(`/api/runs?${query}`);
        if (!current) return;
        setPage(answer);
        setProblem(undefined);
        const live = answer.runs.some(active);
        if (wasActive.current && !live) settled.current();
        wasActive.current = live;
      } catch (thrown) {
        if (current) setProblem(thrown instanceof ApiFailure ? thrown.message : String(thrown));
      }
    };
    void refresh();
    return () => {
      current = false;
    };
  }, [job, cursor, status, version, changes]);

  const go = (changes: Record<string, string | null>) =>
    location.route(addressOf(location.path, location.query, changes));
  const newer = trail.length === 0 ? undefined : trail.slice(0, -1).join('.');
  const older = page?.nextCursor ?? null;

  return (
    <section aria-labelledby="runs-heading">
      <div class="section-head">
        <h2 id="runs-heading">Runs</h2>
        <label class="filter">
          <span>Status</span>
          <select value={status} onChange={(event) => go({ status: event.currentTarget.value, runs: null })}>
            {statusFilters.map((filter) => (
              <option key={filter.value} value={filter.value}>
                {filter.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {problem !== undefined && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
      {page === undefined ? (
        <p class="muted">Loading runs…</p>
      ) : page.runs.length === 0 ? (
        <p class="muted">{status === '' && trail.length === 0 ? 'No runs yet.' : 'No runs here.'}</p>
      ) : (
        <table class="runs data">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Key</th>
              <th scope="col">Status</th>
              <th scope="col">Trigger</th>
              <th scope="col">Scheduled</th>
              <th scope="col">Duration</th>
              <th scope="col">Attempt</th>
              <th scope="col">Node</th>
            </tr>
          </thead>
          <tbody>
            {page.runs.map((run) => (
              <tr key={run.id} data-run={run.id}>
                <th scope="row">
                  <a href={`/runs/${run.id}`}>{run.id}</a>
                </th>
                <td>{run.fanKey === '' ? <span class="muted">—</span> : run.fanKey}</td>
                <td>
                  <StatusBadge status={run.status} />
                </td>
                <td>
                  {run.trigger}
                  {run.requestedBy !== null && <span class="muted"> by {run.requestedBy}</span>}
                </td>
                <td>
                  <When at={run.scheduledAt} />
                </td>
                <td>{humaneDuration(run.durationMs)}</td>
                <td>{run.attempt}</td>
                <td>{run.node ?? <span class="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav class="pager" aria-label="pages of runs">
        <button type="button" disabled={newer === undefined} onClick={() => go({ runs: newer ?? null })}>
          ← Newer
        </button>
        <span class="muted">{trail.length === 0 ? 'newest runs' : `page ${trail.length + 1}`}</span>
        <button
          type="button"
          disabled={older === null}
          onClick={() => older !== null && go({ runs: [...trail, older].join('.') })}
        >
          Older →
        </button>
      </nav>
    </section>
  );
}
