import { useContext, useEffect, useState } from 'preact/hooks';
import { ApiFailure, api } from '../api.ts';
import { RunStrip } from '../parts/run-strip.tsx';
import { StatusBadge } from '../parts/status-badge.tsx';
import { When } from '../parts/when.tsx';
import { SessionContext, mayDo } from '../session-context.ts';
import type { JobView, RunView } from '../types.ts';

const stripLength = 50;

async function allJobs(): Promise<JobView[]> {
  const jobs: JobView[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const page: { jobs: JobView[]; nextCursor: string | null } = await api.get(
      `/api/jobs?limit=1000${query}`,
    );
    jobs.push(...page.jobs);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return jobs;
}

/** Every job: its last run's status, recent runs, next fire, schedule and paused state. */
export function OverviewPage() {
  const session = useContext(SessionContext);
  const [jobs, setJobs] = useState<JobView[] | undefined>(undefined);
  const [runs, setRuns] = useState<ReadonlyMap<string, RunView[]>>(new Map());
  const [filter, setFilter] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let current = true;
    const load = async () => {
      const found = await allJobs();
      if (!current) return;
      setJobs(found);
      for (const job of found) {
        const page = await api.get<{ runs: RunView[] }>(
          `/api/runs?job=${encodeURIComponent(job.name)}&limit=${stripLength}`,
        );
        if (!current) return;
        setRuns((before) => new Map(before).set(job.name, page.runs));
      }
    };
    load().catch((thrown: unknown) => {
      if (current) setProblem(thrown instanceof ApiFailure ? thrown.message : String(thrown));
    });
    return () => {
      current = false;
    };
  }, [version]);

  const act = async (path: string) => {
    try {
      await api.post(path);
      setVersion((value) => value + 1);
    } catch (thrown) {
      setProblem(thrown instanceof ApiFailure ? thrown.message : String(thrown));
    }
  };

  const needle = filter.trim().toLowerCase();
  const shown = jobs?.filter((job) => job.name.toLowerCase().includes(needle));
  const mayTrigger = mayDo(session, 'trigger');
  const mayPause = mayDo(session, 'admin');

  return (
    <main>
      <div class="page-head">
        <h1>Jobs</h1>
        <label class="filter">
          <span>Filter by name</span>
          <input type="search" value={filter} onInput={(event) => setFilter(event.currentTarget.value)} />
        </label>
      </div>
      {problem !== undefined && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
      {shown === undefined ? (
        <p class="muted">Loading jobs…</p>
      ) : shown.length === 0 ? (
        <p class="muted">{jobs?.length === 0 ? 'The job file has no jobs.' : 'No job matches the filter.'}</p>
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
          <tbody>
            {shown.map((job) => (
              <tr key={job.name} data-job={job.name}>
                <th scope="row">
                  <a href={`/jobs/${encodeURIComponent(job.name)}`} class="job-name">
                    {job.name}
                  </a>
                  {job.paused && <span class="tag">paused</span>}
                  {job.description !== null && <span class="description">{job.description}</span>}
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
                  <RunStrip runs={runs.get(job.name)} job={job.name} />
                </td>
                <td>{job.paused ? <span class="muted">paused</span> : <When at={job.nextFireAt} />}</td>
                <td>
                  {job.schedules.length === 0 ? (
                    <span class="muted">on demand</span>
                  ) : (
                    job.schedules.map((schedule) => (
                      <code key={schedule} class="schedule">
                        {schedule}
                      </code>
                    ))
                  )}
                  {job.schedules.length > 0 && job.timezone !== 'UTC' && (
                    <span class="muted"> {job.timezone}</span>
                  )}
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
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
