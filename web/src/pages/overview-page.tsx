import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api } from '../api.ts';
import { addressWith } from '../parts/address-with.ts';
import { errorText } from '../parts/error-text.ts';
import { Loading } from '../parts/loading.tsx';
import { Problem } from '../parts/problem.tsx';
import { applyToStrip, useRunChanges } from '../parts/run-changes.ts';
import { RunStrip } from '../parts/run-strip.tsx';
import { ScheduleSummary } from '../parts/schedule-summary.tsx';
import { StatusBadge } from '../parts/status-badge.tsx';
import { When } from '../parts/when.tsx';
import { SessionContext, mayDo } from '../session-context.ts';
import type { CompactRun, EventSummary, LastRun, OverviewJob, RecentRuns, RunChange } from '../types.ts';

const stripLength = 50;
/** Rows drawn at first, and added each time the end of the table comes into view (or on the button). */
const rowsPerStep = 100;
/** Jobs whose strips one `GET /api/runs/recent` reads. */
const jobsPerRead = 50;
/** Severities from least to most severe. */
const severities = ['info', 'warning', 'failure', 'critical'] as const;
/** The last-run statuses the status filter offers ("never" for a job that never ran). */
const statusChoices = [
  'succeeded',
  'failed',
  'critical',
  'warning',
  'timed_out',
  'lost',
  'running',
  'pending',
  'held',
  'skipped',
  'cancelled',
  'never',
] as const;

type Strips = ReadonlyMap<string, readonly CompactRun[]>;

interface OpenEvents {
  readonly count: number;
  readonly worst: string;
}

function stripKey(job: string, fanKey: string): string {
  return `${job}\u0000${fanKey}`;
}

async function allJobs(): Promise<OverviewJob[]> {
  const jobs: OverviewJob[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const page: { jobs: OverviewJob[]; nextCursor: string | null } = await api.get(
      `/api/jobs?limit=1000${query}`,
    );
    jobs.push(...page.jobs);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return jobs;
}

/** Open events per job: how many, and the worst severity. */
async function openEventsByJob(): Promise<Map<string, OpenEvents>> {
  const found = new Map<string, OpenEvents>();
  let cursor: number | null = null;
  do {
    const query: string = cursor === null ? '' : `&cursor=${cursor}`;
    const page: { events: EventSummary[]; nextCursor: number | null } = await api.get(
      `/api/events?open=true&limit=1000${query}`,
    );
    for (const event of page.events) {
      if (event.job === null) continue;
      const before = found.get(event.job);
      const worse =
        before === undefined ||
        severities.indexOf(event.severity as (typeof severities)[number]) >
          severities.indexOf(before.worst as (typeof severities)[number]);
      found.set(event.job, {
        count: (before?.count ?? 0) + 1,
        worst: worse ? event.severity : (before?.worst ?? event.severity),
      });
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  return found;
}

/** The job's last run after a change of one of its runs (the newest run wins). */
function lastRunAfter(lastRun: LastRun | null, change: RunChange): LastRun | null {
  if (lastRun !== null && lastRun.id > change.id) return lastRun;
  return {
    id: change.id,
    status: change.status,
    trigger: lastRun?.id === change.id ? lastRun.trigger : '',
    scheduledAt: change.scheduledAt,
    finishedAt: change.finishedAt,
  };
}

/**
 * Every job: its last run's status, recent runs, next fire, schedule, paused state, tags and open
 * events; a job that fans out expands into a row per key. Filters live in the address; runs change
 * live (Server-Sent Events).
 */
export function OverviewPage() {
  const session = useContext(SessionContext);
  const location = useLocation();
  const [jobs, setJobs] = useState<OverviewJob[] | undefined>(undefined);
  // Strips of the jobs drawn so far, read as rows are drawn; a job not read yet has none here.
  const [strips, setStrips] = useState<Strips>(new Map());
  const asked = useRef(new Set<string>());
  const [rowLimit, setRowLimit] = useState(rowsPerStep);
  const more = useRef<HTMLButtonElement>(null);
  const [events, setEvents] = useState<ReadonlyMap<string, OpenEvents>>(new Map());
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [version, setVersion] = useState(0);

  const name = location.query['q'] ?? '';
  const status = location.query['status'] ?? '';
  const tag = location.query['tag'] ?? '';
  const source = location.query['source'] ?? '';
  const setFilter = (key: 'q' | 'status' | 'tag' | 'source', value: string) =>
    location.route(addressWith('/', location.query, { [key]: value }), true);

  useEffect(() => {
    let current = true;
    asked.current = new Set();
    setStrips(new Map());
    const load = async () => {
      const [found, open] = await Promise.all([allJobs(), openEventsByJob()]);
      if (!current) return;
      setJobs(found);
      setEvents(open);
    };
    load().catch((thrown: unknown) => {
      if (current) setProblem(errorText(thrown));
    });
    return () => {
      current = false;
    };
  }, [version]);

  useRunChanges(
    (change) => {
      setStrips((before) => {
        // A strip not read yet is read whole when its row is drawn.
        const key = stripKey(change.job, change.fanKey);
        const strip = before.get(key);
        return strip === undefined
          ? before
          : new Map(before).set(key, applyToStrip(strip, change, stripLength));
      });
      setJobs((before) =>
        before?.map((job) =>
          job.name === change.job ? { ...job, lastRun: lastRunAfter(job.lastRun, change) } : job,
        ),
      );
    },
    () => setVersion((value) => value + 1),
  );

  const act = async (path: string) => {
    try {
      await api.post(path);
      setVersion((value) => value + 1);
    } catch (thrown) {
      setProblem(errorText(thrown));
    }
  };

  const toggle = (job: string) =>
    setExpanded((before) => {
      const next = new Set(before);
      if (!next.delete(job)) next.add(job);
      return next;
    });

  const needle = name.trim().toLowerCase();
  const shown = jobs?.filter(
    (job) =>
      job.name.toLowerCase().includes(needle) &&
      (tag === '' || job.tags.includes(tag)) &&
      (source === '' || job.source === source) &&
      (status === '' || (job.lastRun?.status ?? 'never') === status),
  );
  const drawn = shown?.slice(0, rowLimit);
  const drawnNames = drawn?.map((job) => job.name).join('\n') ?? '';

  // The strips of the rows drawn and not read yet: one read per 50 jobs.
  useEffect(() => {
    const generation = asked.current;
    const wanted = (drawn ?? []).map((job) => job.name).filter((job) => !generation.has(job));
    for (const job of wanted) generation.add(job);
    for (let start = 0; start < wanted.length; start += jobsPerRead) {
      const names = wanted
        .slice(start, start + jobsPerRead)
        .map(encodeURIComponent)
        .join(',');
      api
        .get<RecentRuns>(`/api/runs/recent?per=${stripLength}&jobs=${names}`)
        .then((recent) => {
          if (asked.current !== generation) return;
          setStrips((before) => {
            const next = new Map(before);
            for (const key of recent.keys) next.set(stripKey(key.job, key.fanKey), key.runs);
            return next;
          });
        })
        .catch((thrown: unknown) => setProblem(errorText(thrown)));
    }
  }, [drawnNames, version]);

  // More rows when the end of the table comes into view.
  useEffect(() => {
    const button = more.current;
    if (button === null) return;
    const watcher = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) setRowLimit((limit) => limit + rowsPerStep);
    });
    watcher.observe(button);
    return () => watcher.disconnect();
  }, [drawnNames]);

  const allTags = [...new Set(jobs?.flatMap((job) => job.tags) ?? [])].sort();
  const mayTrigger = mayDo(session, 'trigger');
  const mayPause = mayDo(session, 'admin');
  const columns = mayTrigger || mayPause ? 6 : 5;

  return (
    <main>
      <div class="page-head">
        <h1>Jobs</h1>
        <div class="filters">
          <label class="filter">
            <span>Filter by name</span>
            <input
              type="search"
              value={name}
              onInput={(event) => setFilter('q', event.currentTarget.value)}
            />
          </label>
          <label class="filter">
            <span>Last run</span>
            <select value={status} onChange={(event) => setFilter('status', event.currentTarget.value)}>
              <option value="">any status</option>
              {statusChoices.map((choice) => (
                <option key={choice} value={choice}>
                  {choice === 'never' ? 'never ran' : choice.replace('_', ' ')}
                </option>
              ))}
            </select>
          </label>
          <label class="filter">
            <span>Tag</span>
            <select value={tag} onChange={(event) => setFilter('tag', event.currentTarget.value)}>
              <option value="">any tag</option>
              {(allTags.includes(tag) || tag === '' ? allTags : [...allTags, tag]).map((choice) => (
                <option key={choice} value={choice}>
                  {choice}
                </option>
              ))}
            </select>
          </label>
          <label class="filter">
            <span>Source</span>
            <select value={source} onChange={(event) => setFilter('source', event.currentTarget.value)}>
              <option value="">any source</option>
              <option value="file">job file</option>
              <option value="api">API</option>
            </select>
          </label>
        </div>
      </div>
      <Problem text={problem} />
      {shown === undefined ? (
        <Loading what="jobs" />
      ) : shown.length === 0 ? (
        <p class="muted">
          {jobs?.length === 0 ? 'The job file has no jobs.' : 'No job matches the filters.'}
        </p>
      ) : (
        <table class="jobs">
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Last run</th>
              <th scope="col">Recent runs</th>
              <th scope="col">Next fire</th>
              <th scope="col">Schedule</th>
              {(mayTrigger || mayPause) && <th scope="col">Actions</th>}
            </tr>
          </thead>
          {(drawn ?? []).map((job) => {
            const open = expanded.has(job.name);
            const fanned = job.fanKeys.length > 0;
            const jobEvents = events.get(job.name);
            const keyRowsId = `keys-${job.name}`;
            const jobStrip = fanned ? mergedStrip(job, strips) : strips.get(stripKey(job.name, ''));
            return (
              <tbody key={job.name} class={fanned ? 'fanned' : undefined}>
                <tr data-job={job.name}>
                  <th scope="row">
                    {fanned && (
                      <button
                        type="button"
                        class="expander"
                        aria-expanded={open}
                        aria-controls={
                          open ? job.fanKeys.map((_, index) => `${keyRowsId}-${index}`).join(' ') : undefined
                        }
                        aria-label={`${job.fanKeys.length} keys of ${job.name}`}
                        onClick={() => toggle(job.name)}
                      >
                        <span aria-hidden="true">{open ? '▾' : '▸'}</span>
                      </button>
                    )}
                    <a href={`/jobs/${encodeURIComponent(job.name)}`} class="job-name">
                      {job.name}
                    </a>
                    {job.paused && <span class="tag">paused</span>}
                    {job.source === 'api' && (
                      <span class="tag source-api" title={`defined through the API, version ${job.version}`}>
                        api
                      </span>
                    )}
                    {job.description !== null && <span class="description">{job.description}</span>}
                    {(job.tags.length > 0 || jobEvents !== undefined) && (
                      <span class="row-notes">
                        {job.tags.map((name) => (
                          <span key={name} class="chip">
                            {name}
                          </span>
                        ))}
                        {jobEvents !== undefined && (
                          <a
                            class={`open-events severity-${jobEvents.worst}`}
                            href={`/events?job=${encodeURIComponent(job.name)}`}
                          >
                            {jobEvents.count} open {jobEvents.count === 1 ? 'event' : 'events'} (
                            {jobEvents.worst})
                          </a>
                        )}
                      </span>
                    )}
                  </th>
                  <td>
                    {job.lastRun === null ? (
                      <span class="muted">never ran</span>
                    ) : (
                      <a href={`/runs/${job.lastRun.id}`} class="plain">
                        <StatusBadge status={job.lastRun.status} />
                      </a>
                    )}
                  </td>
                  <td>
                    <RunStrip runs={jobStrip} job={job.name} />
                  </td>
                  <td>{job.paused ? <span class="muted">paused</span> : <When at={job.nextFireAt} />}</td>
                  <td>
                    <ScheduleSummary calendar={job.calendar} timezone={job.timezone} />
                  </td>
                  {(mayTrigger || mayPause) && (
                    <td class="actions">
                      {mayTrigger && (
                        <button
                          type="button"
                          aria-label={`Run now: ${job.name}`}
                          onClick={() => void act(`/api/jobs/${encodeURIComponent(job.name)}/trigger`)}
                        >
                          Run now
                        </button>
                      )}
                      {mayPause && (
                        <button
                          type="button"
                          aria-label={`${job.paused ? 'Resume' : 'Pause'} ${job.name}`}
                          onClick={() =>
                            void act(
                              `/api/jobs/${encodeURIComponent(job.name)}/${job.paused ? 'resume' : 'pause'}`,
                            )
                          }
                        >
                          {job.paused ? 'Resume' : 'Pause'}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
                {fanned &&
                  open &&
                  job.fanKeys.map((fanKey, index) => {
                    const runs = strips.get(stripKey(job.name, fanKey));
                    const last = runs?.[0];
                    return (
                      <tr
                        key={fanKey}
                        class="fan-key"
                        data-job={job.name}
                        data-key={fanKey}
                        id={`${keyRowsId}-${index}`}
                      >
                        <th scope="row">
                          <span class="key-name">{fanKey}</span>
                        </th>
                        <td>
                          {last === undefined ? (
                            <span class="muted">never ran</span>
                          ) : (
                            <a href={`/runs/${last.id}`} class="plain">
                              <StatusBadge status={last.status} />
                            </a>
                          )}
                        </td>
                        <td colSpan={columns - 2}>
                          <RunStrip runs={runs} job={`${job.name} ${fanKey}`} />
                        </td>
                      </tr>
                    );
                  })}
              </tbody>
            );
          })}
        </table>
      )}
      {shown !== undefined && shown.length > rowLimit && (
        <p class="more-rows">
          <span class="muted">
            {rowLimit} of {shown.length} jobs shown.{' '}
          </span>
          <button type="button" ref={more} onClick={() => setRowLimit((limit) => limit + rowsPerStep)}>
            Show {Math.min(rowsPerStep, shown.length - rowLimit)} more
          </button>
        </p>
      )}
    </main>
  );
}

/** A fan-out job's own strip: the newest runs of all its keys together. */
function mergedStrip(job: OverviewJob, strips: Strips): CompactRun[] | undefined {
  if (!job.fanKeys.some((fanKey) => strips.has(stripKey(job.name, fanKey)))) return undefined;
  return job.fanKeys
    .flatMap((fanKey) => strips.get(stripKey(job.name, fanKey)) ?? [])
    .sort((a, b) => b.id - a.id)
    .slice(0, stripLength);
}
