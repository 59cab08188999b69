import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { RunPageView, RunView } from '../types.ts';
import { addressWith } from './address-with.ts';
import { useCursorTrail } from './cursor-trail.ts';
import { humaneDuration } from './humane-duration.ts';
import { Loading } from './loading.tsx';
import { Pager } from './pager.tsx';
import { Problem } from './problem.tsx';
import { useRunChanges } from './run-changes.ts';
import { StatusBadge } from './status-badge.tsx';
import { useApiView } from './use-api-view.ts';
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

/** The status filter the address names (`?status=`), or every status. */
function statusOf(query: Readonly<Record<string, string>>): string {
  return statusFilters.some((filter) => filter.value === query['status']) ? (query['status'] ?? '') : '';
}

const active = (run: RunView) => run.status === 'pending' || run.status === 'running';

/**
 * A job's runs, newest first, a page at a time by the API's cursor; the page (`?runs=`, a cursor
 * trail) and the status filter live in the address. `version` changes when the caller knows of new runs (a trigger's answer).
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
  const status = statusOf(location.query);
  const trail = useCursorTrail('runs');
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
  const { view: page, problem } = useApiView<RunPageView>(
    addressWith(
      '/api/runs',
      { job, limit: String(runsPerPage) },
      {
        cursor: trail.cursor === undefined ? null : String(trail.cursor),
        status,
      },
    ),
    { version: `${version}.${changes}` },
  );
  useEffect(() => {
    if (page === undefined) return;
    const live = page.runs.some(active);
    if (wasActive.current && !live) settled.current();
    wasActive.current = live;
  }, [page]);

  return (
    <section aria-labelledby="runs-heading">
      <div class="section-head">
        <h2 id="runs-heading">Runs</h2>
        <label class="filter">
          <span>Status</span>
          <select
            value={status}
            onChange={(event) =>
              location.route(
                addressWith(location.path, location.query, { status: event.currentTarget.value, runs: null }),
              )
            }
          >
            {statusFilters.map((filter) => (
              <option key={filter.value} value={filter.value}>
                {filter.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Problem text={problem} />
      {page === undefined ? (
        <Loading what="runs" />
      ) : page.runs.length === 0 ? (
        <p class="muted">{status === '' && trail.depth === 0 ? 'No runs yet.' : 'No runs here.'}</p>
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
      <Pager trail={trail} nextCursor={page?.nextCursor} label="pages of runs" noun="runs" />
    </section>
  );
}
